import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aPlan } from '../../core/test/planMother.js';
import { devToken } from '../../api/test/authTestContext.js';
import { startStack, type Stack } from '../../api/test/stackProcesses.js';
import { launchBrowser, screenshot, signInAtLoginPage } from './browserContext.js';

let stack: Stack;
let browser: Browser;
let writer: Record<string, string>;
const kept = aPlan({ serviceName: 'physio therapy' });
const gone = aPlan({ serviceName: 'dental care' });

async function write(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers: { ...writer, 'content-type': 'application/json', ...headers }, body: body === undefined ? null : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

test.before(async () => {
  stack = await startStack();
  writer = { authorization: `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}` };
  await write('POST', '/v1/plans', kept, { 'x-change-reason': 'New plan for 2026' });
  await write('PATCH', `/v1/plans/${kept.objectId}`, { planType: 'outOfNetwork' }, { 'content-type': 'application/merge-patch+json', 'if-match': '"v1"', 'x-change-reason': 'Moved out of network' });
  await write('PATCH', `/v1/plans/${kept.objectId}`, [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 150 }], { 'content-type': 'application/json-patch+json', 'if-match': '"v2"', 'x-change-reason': 'Lower copay' });
  await write('POST', '/v1/plans', gone);
  await write('DELETE', `/v1/plans/${gone.objectId}`, undefined, { 'if-match': '"v1"', 'x-change-reason': 'Plan withdrawn' });
  browser = await launchBrowser();
});

test.after.always(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signedInPage(username: string, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/console/plans`);
  await page.getByLabel('Username').waitFor();
  await signInAtLoginPage(page, username);
  await page.getByRole('heading', { name: 'Plans' }).waitFor();
  return { context, page };
}

let auditor: { context: BrowserContext; page: Page };

/** A link of the console's section menu. */
const section = (page: Page, name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });

test.serial('sign-in › the console sends the browser to the real login page, refuses a wrong password, and comes back signed in', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/console/plans`);
  await page.getByLabel('Username').waitFor();
  t.true(page.url().startsWith(stack.env.OIDC_ISSUER ?? 'missing'), 'on the identity provider');
  t.truthy(await page.getByText('to continue to planledger console').count());
  await screenshot(page, '01-login');
  await signInAtLoginPage(page, 'auditor', 'wrong-password');
  await page.getByRole('alert').waitFor();
  t.is(await page.getByRole('alert').innerText(), 'Wrong username or password.');
  await screenshot(page, '02-login-wrong-password');
  await signInAtLoginPage(page, 'auditor');
  await page.getByTestId('plans-table').waitFor();
  t.is(new URL(page.url()).pathname, '/console/plans', 'back on the page asked for');
  t.regex(await page.getByTestId('who').innerText(), /auditor@example\.com · example\.com/);
  t.truthy(await page.getByRole('link', { name: kept.objectId }).count());
  t.is(await section(page, 'Admin').count(), 0, 'an auditor is not shown the admin pages');
  t.false(String(await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).includes('eyJ'), 'no token in web storage');
  await screenshot(page, '03-plans');
  auditor = { context, page };
});

test.serial('plan page › shows the current document as a tree of its nested objects', async (t) => {
  const { page } = auditor;
  await page.getByRole('link', { name: kept.objectId }).click();
  await page.getByTestId('json-tree').waitFor();
  const tree = await page.getByTestId('json-tree').innerText();
  t.regex(tree, /membercostshare/);
  t.regex(tree, /physio therapy/);
  t.regex(tree, /outOfNetwork/);
  t.truthy(await page.getByText('version 3').count());
  await screenshot(page, '04-plan');
});

test.serial('history › timeline of every event, the plan as of a version, and a side-by-side diff', async (t) => {
  const { page } = auditor;
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByTestId('timeline').waitFor();
  t.is(await page.locator('[data-testid=timeline] .mantine-Timeline-item').count(), 3);
  t.regex(await page.getByTestId('timeline').innerText(), /dev-writer/);
  await page.getByTestId('diff-lines').waitFor();
  t.regex(await page.getByTestId('diff-lines').innerText(), /copay: 175 → 150/);
  await page.getByTestId('side-by-side').waitFor();
  t.regex(await page.getByTestId('side-by-side').innerText(), /150/);
  // The slider is keyboard-driven: back from version 3 to version 1.
  await page.getByRole('slider', { name: 'Version' }).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.getByText('Version 1: created').waitFor();
  await page.waitForFunction("document.querySelector('[data-testid=as-of]')?.textContent?.includes('inNetwork') === true");
  t.regex(await page.getByTestId('as-of').innerText(), /inNetwork/);
  await screenshot(page, '05-history');
});

test.serial('history › a deleted plan shows how it ended', async (t) => {
  const { page } = auditor;
  await page.goto(`${stack.baseUrl}/console/plans/${gone.objectId}/history`);
  await page.getByTestId('deleted-notice').waitFor();
  t.regex(await page.getByTestId('deleted-notice').innerText(), /Deleted at version 2/);
  await page.getByText('The plan as it was when it was deleted').click();
  t.regex(await page.getByTestId('deleted-notice').innerText(), /dental care/);
  await screenshot(page, '06-history-deleted');
});

test.serial('search › form controls build the query, the equivalent URL is shown, hits link to plans', async (t) => {
  const { page } = auditor;
  await section(page, 'Search').click();
  await page.getByLabel('Service name words').fill('physio');
  await page.getByLabel('Service copay at least').fill('100');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForFunction("document.querySelector('[data-testid=search-url]')?.textContent?.includes('q=physio') === true");
  const url = await page.getByTestId('search-url').innerText();
  t.regex(url, /GET http:\/\/127\.0\.0\.1:\d+\/v1\/search\?q=physio&linkedPlanServices\.planserviceCostShares\.copay%5Bgte%5D=100/);
  // The projector makes the plan searchable shortly after its write.
  for (let tries = 0; tries < 30 && (await page.getByRole('link', { name: kept.objectId }).count()) === 0; tries++) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  }
  t.truthy(await page.getByRole('link', { name: kept.objectId }).count());
  t.regex(new URL(page.url()).search, /q=physio/, 'the query is in the address');
  await screenshot(page, '07-search');
});

test.serial('search › an auditor picks a past moment: a deleted plan is found as it was while it lived', async (t) => {
  const { page } = auditor;
  const history = (await (await fetch(`${stack.baseUrl}/v1/plans/${gone.objectId}/history`, { headers: { authorization: `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-auditor')}` } })).json()) as { events: { at: string }[] };
  const created = history.events[0]!.at;
  await page.goto(`${stack.baseUrl}/console/search?q=dental`);
  await page.getByLabel('As of').fill('2020-01-02T03:04:05');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForFunction("document.querySelector('[data-testid=search-url]')?.textContent?.includes('asOf=') === true");
  t.regex(await page.getByTestId('search-url').innerText(), /asOf=2020-01-0\d/, 'the picked moment is in the query');
  await page.getByTestId('search-total').waitFor();
  t.regex(await page.getByTestId('search-total').innerText(), /^0 plans match as of/);
  // The temporal projection makes the plan's past searchable shortly after its writes.
  const url = `${stack.baseUrl}/console/search?q=dental&asOf=${encodeURIComponent(created)}`;
  for (let tries = 0; tries < 30 && (await page.getByRole('link', { name: gone.objectId }).count()) === 0; tries++) {
    await page.goto(url);
    await page.getByTestId('search-total').waitFor();
  }
  t.truthy(await page.getByRole('link', { name: gone.objectId }).count(), 'found as it was, though deleted now');
  t.regex(await page.getByTestId('search-results').innerText(), /Version then/);
  await screenshot(page, '17-search-as-of');
});

test.serial('errors › a missing plan is a clear 404 state, an unreachable api a retry', async (t) => {
  const { page } = auditor;
  await page.goto(`${stack.baseUrl}/console/plans/no-such-plan`);
  await page.getByTestId('error-state').waitFor();
  t.is(await page.getByTestId('error-state').getAttribute('data-status'), '404');
  await screenshot(page, '08-not-found');
  await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
  await section(page, 'Plans').click();
  await page.getByText('The api cannot be reached').waitFor();
  t.truthy(await page.getByRole('button', { name: 'Try again' }).count());
  await screenshot(page, '09-api-down');
  await page.unroute('**/v1/**');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByTestId('plans-table').waitFor();
  t.pass();
});

test.serial('expired token › a 401 goes through sign-in and back to the same page', async (t) => {
  const { page } = auditor;
  await page.goto(`${stack.baseUrl}/console/search?q=physio`);
  await page.getByTestId('search-total').waitFor();
  let refused = 0;
  // The api answers 401 to an expired token; answer the next call so, as if the token had run out.
  await page.route('**/v1/plans?**', async (route) => {
    if (refused++ === 0) return route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'the token has expired' }) });
    return route.continue();
  });
  await section(page, 'Plans').click();
  await page.waitForURL((url) => url.pathname === '/console/plans' && refused > 0);
  await page.getByTestId('plans-table').waitFor();
  t.is(refused, 2, 'refused once, then the new token worked');
  t.is(new URL(page.url()).pathname, '/console/plans');
});

test.serial('sign-out › forgets the token; signing in again shows the login page', async (t) => {
  const { page } = auditor;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('signed-out').waitFor();
  await screenshot(page, '10-signed-out');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Username').waitFor();
  t.true(page.url().startsWith(stack.env.OIDC_ISSUER ?? 'missing'));
  await auditor.context.close();
});

test.serial('roles › a reader sees neither changes nor admin, and the admin page refuses them', async (t) => {
  const { context, page } = await signedInPage('reader');
  t.is(await section(page, 'Admin').count(), 0);
  t.is(await section(page, 'Changes').count(), 0);
  await page.goto(`${stack.baseUrl}/console/admin`);
  await page.getByTestId('error-state').waitFor();
  t.is(await page.getByTestId('error-state').getAttribute('data-status'), '403');
  await context.close();
});

test.serial('keyboard and narrow window › the skip link and the menu are reachable; pages fit 390 px', async (t) => {
  const { context, page } = await signedInPage('admin', { width: 390, height: 800 });
  await page.keyboard.press('Tab');
  t.is(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
  await screenshot(page, '11-narrow-plans');
  await page.getByRole('button', { name: 'Menu' }).click();
  await section(page, 'Admin').waitFor();
  await page.waitForTimeout(400); // the menu slides in; let it settle for the picture
  await screenshot(page, '12-narrow-menu');
  await page.goto(`${stack.baseUrl}/console/plans/${kept.objectId}/history`);
  await page.getByTestId('timeline').waitFor();
  const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
  t.true(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`);
  await screenshot(page, '13-narrow-history');
  await context.close();
});

test.serial('audit trail fields › history shows each change’s reason and readable lines; a deleted plan’s page is a 410', async (t) => {
  const { context, page } = await signedInPage('auditor');
  await page.goto(`${stack.baseUrl}/console/plans/${kept.objectId}/history`);
  await page.getByTestId('timeline').waitFor();
  const timeline = await page.getByTestId('timeline').innerText();
  t.regex(timeline, /Lower copay/);
  t.regex(timeline, /copay: 175 → 150/);
  await page.goto(`${stack.baseUrl}/console/plans/${gone.objectId}`);
  await page.getByTestId('plan-deleted').waitFor();
  t.regex(await page.getByTestId('plan-deleted').innerText(), /at version 2/);
  await screenshot(page, '14-plan-deleted');
  await context.close();
});

test.serial('changes feed › filters the org’s changes, shows the URL, exports CSV', async (t) => {
  const { context, page } = await signedInPage('auditor');
  await section(page, 'Changes').click();
  await page.getByTestId('changes-table').waitFor();
  t.regex(await page.getByTestId('changes-table').innerText(), new RegExp(gone.objectId));
  await page.getByLabel('Plan', { exact: true }).fill(kept.objectId);
  await page.getByLabel('patched').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction("document.querySelector('[data-testid=changes-url]')?.textContent?.includes('type=patched') === true");
  await page.waitForFunction("document.querySelectorAll('[data-testid=changes-table] tbody tr').length === 2");
  t.is(await page.locator('[data-testid=changes-table] tbody tr').count(), 2);
  await screenshot(page, '15-changes');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  t.is(download.suggestedFilename(), 'changes.csv');
  await context.close();
});

/** Signs in as an admin, starts a job of the search projection from the admin page with `button`, and waits until it succeeded. */
async function searchJobRunToTheEnd(button: 'Verify' | 'Rebuild') {
  const signedIn = await signedInPage('admin');
  const { page } = signedIn;
  await section(page, 'Admin').click();
  await page.getByTestId('projection-search').waitFor();
  await page.getByTestId('projection-search').getByRole('button', { name: button }).click();
  await page.locator('[data-testid=job][data-state=succeeded]').waitFor({ timeout: 60_000 });
  return signedIn;
}

test.serial('admin operations › projection status with lag, a verification run to the end, dead letters', async (t) => {
  const { context, page } = await searchJobRunToTheEnd('Verify');
  t.regex(await page.getByTestId('verify-counts').innerText(), /plans checked: 0 missing/);
  await page.getByText('No dead letters').waitFor();
  await screenshot(page, '16-admin');
  await context.close();
});

test.serial('admin operations › a rebuild run to the end shows its result and the seconds of each step', async (t) => {
  const { context, page } = await searchJobRunToTheEnd('Rebuild');
  t.regex(await page.getByTestId('job').innerText(), /Rebuilt \S+: [\d,]+ events in \d+ s, replacing \S+\./);
  t.regex(await page.getByTestId('rebuild-phases').innerText(), /^Steps: create \d+\.\d\d s · replay \d+\.\d\d s · switch \d+\.\d\d s · catch-up \d+\.\d\d s · drop \d+\.\d\d s$/);
  await screenshot(page, '17-admin-rebuild');
  await context.close();
});

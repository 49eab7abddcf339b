export interface LoginPageOptions {
  /** Where the form posts. */
  readonly action: string;
  readonly clientName: string;
  readonly username?: string;
  /** Shown above the form when the last attempt failed. */
  readonly error?: string;
  /** Usernames offered as a hint (the development users). */
  readonly hints: readonly string[];
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const STYLE = `
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f1f3f5;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#212529}
main{width:min(26rem,100% - 2rem);background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0 0 .25rem}p{margin:0 0 1.25rem;color:#495057}
label{display:block;font-weight:600;margin:0 0 .25rem}
input{width:100%;font:inherit;padding:.5rem .75rem;border:1px solid #ced4da;border-radius:4px;margin:0 0 1rem}
input:focus,button:focus{outline:3px solid #74c0fc;outline-offset:1px}
button{width:100%;font:inherit;font-weight:600;padding:.6rem;border:0;border-radius:4px;background:#1c7ed6;color:#fff;cursor:pointer}
button:hover{background:#1971c2}
.error{background:#fff5f5;border:1px solid #ffa8a8;color:#c92a2a;border-radius:4px;padding:.5rem .75rem;margin:0 0 1rem}
details{margin-top:1.25rem;color:#495057;font-size:.9rem}code{background:#f1f3f5;padding:0 .25rem;border-radius:3px}`;

/** The identity provider's sign-in page: plain server-rendered HTML, no script, no external resources. */
export function loginPage(options: LoginPageOptions): string {
  const error = options.error === undefined ? '' : `<div class="error" role="alert" id="login-error">${escapeHtml(options.error)}</div>`;
  const hints = options.hints.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in · planledger</title><style>${STYLE}</style></head>
<body><main>
<h1>Sign in</h1><p>to continue to ${escapeHtml(options.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(options.action)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required${options.error === undefined ? ' autofocus' : ' aria-describedby="login-error"'} value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${options.error === undefined ? '' : ' autofocus aria-describedby="login-error"'}>
<button type="submit">Sign in</button>
</form>
${hints === '' ? '' : `<details><summary>Development users</summary><p>${hints}; each one's password is <code>&lt;user&gt;-password</code>.</p></details>`}
</main></body></html>`;
}

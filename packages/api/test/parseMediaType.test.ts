import test from 'ava';
import { parseMediaType } from '../src/parseMediaType.js';

test('parseMediaType › type, subtype and parameter names are case-insensitive; values are kept', (t) => {
  const media = parseMediaType('Application/JSON-Patch+JSON ; Charset="UTF-8";q=1');
  t.is(media?.type, 'application/json-patch+json');
  t.deepEqual([...(media?.parameters ?? [])], [['charset', 'UTF-8'], ['q', '1']]);
  t.is(parseMediaType('APPLICATION/JSON')?.type, 'application/json');
  t.deepEqual([...(parseMediaType('text/plain;;a="x\\"y";')?.parameters ?? [])], [['a', 'x"y']]);
});

test('parseMediaType › anything that is not a media type is null', (t) => {
  for (const header of ['', 'json', 'application/', 'application/json x', 'application/json; charset', 'application/json; a="open', 'application/json; a = b']) {
    t.is(parseMediaType(header), null, header);
  }
});

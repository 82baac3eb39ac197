import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleEmail } from './sample-email.js';

const DOC = new URL('../../docs/alerts.md', import.meta.url);
const START = '<!-- sample-email:start -->';
const END = '<!-- sample-email:end -->';

function rendered(): string {
  const email = sampleEmail();
  if (email === null) throw new Error('the sample fleet sends no email');
  return `${START}\n\`\`\`text\nSubject: ${email.subject}\n\n${email.body}\`\`\`\n${END}`;
}

describe('the sample email in docs/alerts.md', () => {
  it('is the one the code composes for the sample fleet', () => {
    const doc = readFileSync(DOC, 'utf8');
    const from = doc.indexOf(START);
    const to = doc.indexOf(END) + END.length;
    const sample = rendered();
    if (process.env.UPDATE_DOCS === '1') {
      writeFileSync(DOC, doc.slice(0, from) + sample + doc.slice(to));
      return;
    }

    expect(from).toBeGreaterThanOrEqual(0);
    expect(doc.slice(from, to)).toBe(sample);
  });
});

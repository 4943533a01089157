import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMailer } from './mailer.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('createMailer', () => {
  it('writes the message to the log when no SMTP relay is set', async () => {
    const { logger, lines } = capturedLogger();
    const mailer = createMailer({ from: 'STP <no-reply@stp.test>' }, logger);
    await mailer.send({
      to: 'mei@lionrock.test',
      subject: 'Reset your STP Platform password',
      text: 'open http://localhost:8080/reset-password#token=stp_pwr_abc',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      component: 'mail',
      mail: { to: 'mei@lionrock.test', subject: 'Reset your STP Platform password' },
    });
    expect(String(lines[0]!.msg)).toContain('/reset-password#token=stp_pwr_abc');
  });

  it('logs a relay that refuses, and resolves: the request that sent the mail is already answered', async () => {
    const { logger, lines } = capturedLogger();
    // Nothing listens on port 1: the connection is refused at once.
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'STP <no-reply@stp.test>' }, logger);
    await expect(
      mailer.send({ to: 'mei@lionrock.test', subject: 'Reset your STP Platform password', text: 'x' }),
    ).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'e-mail not delivered' });
  });
});

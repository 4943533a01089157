import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

/** One plain-text message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends e-mail. The platform's only messages are account mail (password-reset links), sent after
 * the request that caused them is answered, so `send` resolves whether or not delivery worked and
 * the mailer reports failures itself (see `createMailer`).
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface MailSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (STP_SMTP_URL); none: messages go to the log. */
  smtpUrl?: string;
  /** The From address (STP_MAIL_FROM). */
  from: string;
}

/** Delivers through an SMTP relay with nodemailer (its connection URL carries host, port, TLS and login). */
export function smtpMailer(settings: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from: settings.from, ...message });
    },
  };
}

/**
 * Writes each message to the server log instead of sending it: the demo and a fresh install have
 * no mail relay, and the operator reading the log is the person who would otherwise get the mail.
 * Only for that case: a link in the log is a credential in the log.
 */
export function logMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.warn(
        { mail: { to: message.to, subject: message.subject } },
        `no STP_SMTP_URL: e-mail not sent; its text follows\n${message.text}`,
      );
    },
  };
}

/** SMTP when STP_SMTP_URL is set, else the log; a failed delivery is logged, never thrown. */
export function createMailer(settings: MailSettings, logger: Logger): Mailer {
  const log = logger.child({ component: 'mail' });
  const mailer = settings.smtpUrl
    ? smtpMailer({ smtpUrl: settings.smtpUrl, from: settings.from })
    : logMailer(log);
  return {
    async send(message) {
      try {
        await mailer.send(message);
      } catch (error) {
        // No address in the log line beyond the subject: the relay's error says enough to act on.
        log.error({ err: error, subject: message.subject }, 'e-mail not delivered');
      }
    },
  };
}

import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

/** One plain-text mail (bokmål above, English below). */
export interface Mail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** A name for the mail that is unique per recipient and day (the local outbox's file name). */
  readonly fileStem: string;
}

/** Where mail goes: SES in the cloud, .eml files in the local outbox. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** SES v2 SendEmail, plain text in UTF-8, from the stage's verified sender identity. */
export class SesMailer implements Mailer {
  constructor(private readonly client: SESv2Client = new SESv2Client({})) {}

  async send(mail: Mail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  }
}

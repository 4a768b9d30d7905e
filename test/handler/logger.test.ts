import { ClaimPhoneNumberCommand, ConnectClient } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { ClaimedPhoneNumberHandler } from '../../lambda/phone-number-handler';
import { capturingLogger, context, createEvent, FakeClock, NUMBER_ARN, NUMBER_ID, SETTINGS } from './fixtures';

const connect = mockClient(ConnectClient);

describe('Structured logs', () => {
  beforeEach(() => connect.reset());

  test('every line is a JSON object with a level, a message and the request identity', async () => {
    // GIVEN a handler that logs to a buffer
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    const { logger, lines } = capturingLogger();
    // WHEN it handles a Create
    await new ClaimedPhoneNumberHandler(new ConnectClient({}), logger, SETTINGS, new FakeClock()).onEvent(createEvent(), context());
    // THEN each line parses and names the request
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), message: expect.any(String), requestId: 'req-create-1' });
    }
  });

  test('never logs the CloudFormation ResponseURL', async () => {
    // GIVEN an event whose ResponseURL holds a secret signature
    connect.on(ClaimPhoneNumberCommand).resolves({ PhoneNumberArn: NUMBER_ARN, PhoneNumberId: NUMBER_ID });
    const { logger, lines } = capturingLogger();
    // WHEN the event is handled (and logged)
    await new ClaimedPhoneNumberHandler(new ConnectClient({}), logger, SETTINGS, new FakeClock()).onEvent(createEvent(), context());
    // THEN neither the key nor the URL appears in any line
    const all = lines.join('\n');
    expect(all).toContain('Support5CFB64A3');
    expect(all).not.toContain('ResponseURL');
    expect(all).not.toContain('secret-signature');
  });
});

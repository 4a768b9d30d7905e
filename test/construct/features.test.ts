import { aws_connect as connect, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClaimedPhoneNumber, ClaimedPhoneNumberProps, PhoneNumberType } from '../../lib';
import { handlerRoleStatements, INSTANCE_ID, logicalIdOf, newStack, validProps } from './helpers';

const FLOW_ARN = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/contact-flow/f1f1f1f1-0000-4000-8000-000000000001`;

function synth(props: ClaimedPhoneNumberProps, extra?: (stack: ReturnType<typeof newStack>) => Partial<ClaimedPhoneNumberProps>) {
  const stack = newStack();
  const number = new ClaimedPhoneNumber(stack, 'Number', { ...props, ...extra?.(stack) });
  const template = Template.fromStack(stack);
  return { stack, number, template, properties: template.toJSON().Resources[logicalIdOf(number)].Properties };
}

describe('Typed targets', () => {
  test('a CfnInstance becomes the TargetArn and the claim permission', () => {
    // GIVEN an instance declared in the same stack
    const { stack, properties } = synth({ phoneNumber: '+12065550100' }, (s) => ({
      instance: new connect.CfnInstance(s, 'Instance', { identityManagementType: 'CONNECT_MANAGED', attributes: { inboundCalls: true, outboundCalls: true } }),
    }));
    // THEN the number names the instance by its ARN, and the role may claim to it
    expect(properties.TargetArn).toEqual({ Ref: 'Instance' });
    expect(properties.InstanceId).toBeUndefined();
    const claim = handlerRoleStatements(stack).find((statement) => statement.Action.includes('connect:ClaimPhoneNumber'));
    expect(claim?.Resource).toContainEqual({ Ref: 'Instance' });
  });

  test('a CfnTrafficDistributionGroup becomes the TargetArn', () => {
    // GIVEN a traffic distribution group of the stack
    const { properties } = synth({ phoneNumber: '+12065550100' }, (s) => ({
      trafficDistributionGroup: new connect.CfnTrafficDistributionGroup(s, 'Tdg', { instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`, name: 'tdg' }),
    }));
    // THEN its ARN is the target
    expect(properties.TargetArn).toEqual({ Ref: 'Tdg' });
  });

  test('a typed target together with instanceId fails at synth', () => {
    // WHEN two targets are given
    const attempt = () =>
      synth(validProps(), (s) => ({
        instance: new connect.CfnInstance(s, 'Instance', { identityManagementType: 'CONNECT_MANAGED', attributes: { inboundCalls: true, outboundCalls: true } }),
      }));
    // THEN the error lists both
    expect(attempt).toThrow('Give exactly one target (instanceId, targetArn, instance or trafficDistributionGroup); got instanceId and instance.');
  });

  test('a traffic distribution group together with targetArn fails at synth, with exactly one message', () => {
    // WHEN a typed group and a targetArn are given
    const attempt = () =>
      synth({ phoneNumber: '+12065550100', targetArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` }, (s) => ({
        trafficDistributionGroup: new connect.CfnTrafficDistributionGroup(s, 'Tdg', { instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`, name: 'tdg' }),
      }));
    // THEN the message names all four target props and what was given, and nothing else
    expect(attempt).toThrow(
      new Error('ClaimedPhoneNumber TestStack/Number: Give exactly one target (instanceId, targetArn, instance or trafficDistributionGroup); got targetArn and trafficDistributionGroup.'),
    );
  });
});

describe('Search and claim', () => {
  test('the search criteria are the template properties, instead of PhoneNumber', () => {
    // WHEN a search is declared
    const { properties } = synth({ instanceId: INSTANCE_ID, search: { countryCode: 'US', numberType: PhoneNumberType.DID, prefix: '+1206' } });
    // THEN they appear under SearchAvailablePhoneNumbers' names
    expect(properties).toMatchObject({ PhoneNumberCountryCode: 'US', PhoneNumberType: 'DID', PhoneNumberPrefix: '+1206' });
    expect(properties.PhoneNumber).toBeUndefined();
  });

  test('the role may search only when a number is found by search', () => {
    // WHEN one stack searches and another names its number
    const searching = synth({ instanceId: INSTANCE_ID, search: { countryCode: 'US', numberType: PhoneNumberType.DID } });
    const naming = synth(validProps());
    // THEN only the first role can call SearchAvailablePhoneNumbers
    const actions = (stack: typeof searching.stack) => handlerRoleStatements(stack).flatMap((statement) => statement.Action);
    expect(actions(searching.stack)).toContain('connect:SearchAvailablePhoneNumbers');
    expect(actions(naming.stack)).not.toContain('connect:SearchAvailablePhoneNumbers');
  });

  test('the phoneNumber attribute reports the claimed number through GetAtt', () => {
    // WHEN a search is declared
    const { stack, number } = synth({ instanceId: INSTANCE_ID, search: { countryCode: 'US', numberType: PhoneNumberType.TOLL_FREE } });
    // THEN phoneNumber is the PhoneNumber attribute
    expect(stack.resolve(number.phoneNumber)).toEqual({ 'Fn::GetAtt': [logicalIdOf(number), 'PhoneNumber'] });
  });

  test.each<[string, Partial<ClaimedPhoneNumberProps>, string]>([
    ['both a number and a search', { search: { countryCode: 'US', numberType: PhoneNumberType.DID } }, 'Give one of phoneNumber, search or sourcePhoneNumberArn, not two; got phoneNumber "+12065550100" and search.'],
    ['a lowercase country code', { phoneNumber: undefined, search: { countryCode: 'us', numberType: PhoneNumberType.DID } }, 'search.countryCode must be an ISO 3166-1 alpha-2 country code in capitals, such as "US"; got "us".'],
    ['a prefix without +', { phoneNumber: undefined, search: { countryCode: 'US', numberType: PhoneNumberType.DID, prefix: '1206' } }, 'search.prefix must be "+" and 1 to 11 digits, country code included, such as "+1206"; got "1206".'],
    ['adoptExisting with a search', { phoneNumber: undefined, adoptExisting: true, search: { countryCode: 'US', numberType: PhoneNumberType.DID } }, 'adoptExisting needs a specific phoneNumber to take over; it cannot be combined with a search.'],
  ])('%s fails at synth with the exact message', (_name, overrides, message) => {
    // WHEN the props are given
    // THEN construction fails with exactly this message
    expect(() => synth(validProps(overrides))).toThrow(`ClaimedPhoneNumber TestStack/Number: ${message}`);
  });
});

describe('Contact flows', () => {
  test('a flow ARN is a template property', () => {
    // WHEN a flow is declared
    const { properties } = synth(validProps({ contactFlowArn: FLOW_ARN }));
    // THEN it is in the template
    expect(properties.ContactFlowArn).toBe(FLOW_ARN);
  });

  test('a CfnContactFlow is referenced by its ARN', () => {
    // WHEN a flow construct is given
    const { properties } = synth(validProps(), (s) => ({
      contactFlow: new connect.CfnContactFlow(s, 'Flow', { instanceArn: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`, name: 'f', type: 'CONTACT_FLOW', content: '{}' }),
    }));
    // THEN the template refers to it
    expect(properties.ContactFlowArn).toEqual({ Ref: 'Flow' });
  });

  test('disassociating is allowed even when no construct declares a flow, so removing the last flow can clean up', () => {
    // WHEN no flow is declared
    const { stack } = synth(validProps());
    // THEN the role may still remove an association
    expect(handlerRoleStatements(stack).flatMap((s) => s.Action)).toContain('connect:DisassociatePhoneNumberContactFlow');
  });

  test.each<[string, Partial<ClaimedPhoneNumberProps>, string]>([
    ['a flow ARN of another kind', { contactFlowArn: 'arn:aws:connect:us-east-1:123456789012:instance/x/queue/q' }, 'contactFlowArn must be the ARN of a contact flow (arn:aws:connect:<region>:<account>:instance/<instance id>/contact-flow/<flow id>); got "arn:aws:connect:us-east-1:123456789012:instance/x/queue/q".'],
    ['a flow of another instance', { contactFlowArn: FLOW_ARN.replace(INSTANCE_ID, 'other') }, `contactFlowArn is a flow of instance other, but the number is claimed to instance ${INSTANCE_ID}; use a flow of that instance.`],
  ])('%s fails at synth with the exact message', (_name, overrides, message) => {
    expect(() => synth(validProps(overrides))).toThrow(`ClaimedPhoneNumber TestStack/Number: ${message}`);
  });
});

describe('Adoption', () => {
  test('an adopted number is retained by default, and released only when DESTROY is asked for', () => {
    // WHEN a number is adopted with the default policy, and another with DESTROY
    const adoptedTemplate = synth(validProps({ adoptExisting: true })).template.toJSON().Resources;
    const destroyTemplate = synth(validProps({ adoptExisting: true, removalPolicy: RemovalPolicy.DESTROY })).template.toJSON().Resources;
    const policyOf = (resources: { [id: string]: { Type: string; DeletionPolicy?: string } }) =>
      Object.values(resources).find((resource) => resource.Type === 'Custom::ClaimedPhoneNumber')?.DeletionPolicy;
    // THEN the first is retained, the second deleted
    expect(policyOf(adoptedTemplate)).toBe('Retain');
    expect(policyOf(destroyTemplate)).toBe('Delete');
  });

  test('adoptExisting is sent to the handler only when true', () => {
    // WHEN adoption is asked for, and when it is not
    const adopting = synth(validProps({ adoptExisting: true })).properties;
    const plain = synth(validProps({ adoptExisting: false })).properties;
    // THEN only the first template carries it
    expect(adopting.AdoptExisting).toBe(true);
    expect(plain.AdoptExisting).toBeUndefined();
  });
});

import { notFound } from '../errors';
import { OperationHandler } from './context';

export const associatePhoneNumberContactFlow: OperationHandler = (ctx, input) => {
  const record = ctx.state.getLive(String(input.PhoneNumberId), ctx.now);
  const instanceId = String(input.InstanceId);
  const flowId = String(input.ContactFlowId);
  if (!ctx.state.instances.has(instanceId)) throw notFound(`Instance not found: ${instanceId}`);
  if (record.instanceId !== undefined && record.instanceId !== instanceId) {
    throw notFound(`Phone number ${record.id} is not claimed to instance ${instanceId}`);
  }
  if (!ctx.state.contactFlows.get(instanceId)?.has(flowId)) {
    throw notFound(`Contact flow not found: ${flowId} in instance ${instanceId}`);
  }
  record.contactFlowId = flowId;
  record.history.push({ at: ctx.now, event: 'contact-flow-associated', detail: flowId });
  return undefined;
};

export const disassociatePhoneNumberContactFlow: OperationHandler = (ctx, input) => {
  const record = ctx.state.getLive(String(input.PhoneNumberId), ctx.now);
  const instanceId = String(input.InstanceId);
  if (!ctx.state.instances.has(instanceId)) throw notFound(`Instance not found: ${instanceId}`);
  // Disassociating a number that has no flow is a no-op, as with the real API.
  if (record.contactFlowId !== undefined) {
    record.history.push({ at: ctx.now, event: 'contact-flow-disassociated', detail: record.contactFlowId });
    record.contactFlowId = undefined;
  }
  return undefined;
};

/**
 * netlink-ts topology: declarative namespace labs. A lab file (YAML/JSON, schema in
 * schema/netlink-lab.schema.json) is loaded and validated before any syscall; plan() diffs it
 * against the live kernel, apply() converges (with rollback), destroy() removes what the lab
 * owns — found from the kernel's own state, no state file.
 */
export { LabApplyError, LabSpecError } from './errors.js';
export type { LabIssue } from './errors.js';
export { loadLab, parseLabText } from './load.js';
export type { LoadOptions } from './load.js';
export { inSubnet, pointerToPath, structuralIssues, validateLab } from './validate.js';
export type { ValidateOptions } from './validate.js';
export { ENV_MARKER, SAVED_CHAIN, linkAlias, linkGroup, nftTableName, nodeAlias, parseSaved, savedComment } from './model.js';
export type { IfaceModel, LabModel, NodeModel, RouteModel } from './model.js';
export { LabSpecSchema, labJsonSchema } from './spec.js';
export type {
  LabBridge, LabEndpoint, LabExpect, LabFilter, LabFilterRule, LabHost, LabLink, LabNat, LabNode, LabNodeKind, LabOverlay, LabProcess, LabRoute, LabSpec,
} from './spec.js';
export { CHANGE_KINDS, diff, nftDesired, plan, planJson, planLines, planSummary } from './plan.js';
export type { Change, ChangeKind, NftDesired, Plan } from './plan.js';
export { observe, sysctlText } from './observe.js';
export type { LabState, NodeState, ObserveOptions } from './observe.js';
export { apply, stepsOf } from './apply.js';
export type { ApplyOptions, ApplyResult, Step } from './apply.js';
export { destroy, status } from './destroy.js';
export type { DestroyOptions, DestroyResult, LabStatus, NodeStatus } from './destroy.js';
export { findLabProcs, killProc } from './procs.js';
export type { LabProc } from './procs.js';
export { check, formatCheck, listenersFor, nodeAddresses, planCheck, resolveTarget, serveCheck } from './check.js';
export type { CheckOptions, CheckReport, CheckRow, FormatCheckOptions } from './check.js';
export { dotQuote, labDot, labSvg, renderSvg } from './graph.js';
export { runClient, startListener } from './probe.js';
export type { Listener, NodePlace, ProbeAnswer, ProbeOutcome, ProbeProto, ProbeSpec } from './probe.js';

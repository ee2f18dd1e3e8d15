import { createMachineOperation } from '../machines/operations/create.js';
import { getMachineOperation, getMachineSecretKeyOperation } from '../machines/operations/get.js';
import { listMachinesOperation } from '../machines/operations/list.js';
import { createMachineScopeOperation, deleteMachineScopeOperation } from '../machines/operations/scopes.js';
import { rotateMachineSecretKeyOperation } from '../machines/operations/secret-key.js';
import { deleteMachineOperation, updateMachineOperation } from '../machines/operations/update.js';
import { createM2MTokenOperation } from '../m2m/operations/create.js';
import { jwksOperation } from '../m2m/operations/jwks.js';
import { listM2MTokensOperation } from '../m2m/operations/list.js';
import { revokeM2MTokenOperation } from '../m2m/operations/revoke.js';
import { verifyM2MTokenOperation } from '../m2m/operations/verify.js';
import { createOAuthAccessTokenOperation, revokeOAuthAccessTokenOperation } from '../oauth/operations/keyguard.js';
import { verifyOAuthAccessTokenOperation } from '../oauth/operations/verify.js';
import type { MachineOperation } from './operation.js';

/** Every machine-auth operation the server answers: Clerk's M2M tokens, machines, JWKS and OAuth access tokens. */
export const MACHINE_AUTH_OPERATIONS: readonly MachineOperation[] = [
  createM2MTokenOperation,
  listM2MTokensOperation,
  revokeM2MTokenOperation,
  verifyM2MTokenOperation,
  jwksOperation,
  createMachineOperation,
  listMachinesOperation,
  getMachineOperation,
  getMachineSecretKeyOperation,
  updateMachineOperation,
  deleteMachineOperation,
  rotateMachineSecretKeyOperation,
  createMachineScopeOperation,
  deleteMachineScopeOperation,
  verifyOAuthAccessTokenOperation,
  createOAuthAccessTokenOperation,
  revokeOAuthAccessTokenOperation,
];

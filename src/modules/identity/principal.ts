import { AppError, notFound } from '../../errors.js';
import type { OrgKind, OrgRole, OrgStatus } from './schema.js';

/** Who is asking, and for which organisation. Every request carries exactly one. */
export interface Principal {
  type: 'session' | 'token';
  userId: string;
  email: string;
  orgId: string;
  orgKinds: OrgKind[];
  orgStatus: OrgStatus;
  role: OrgRole;
  sessionId?: string;
  tokenId?: string;
}

const roleRank: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(principal: Principal, atLeast: OrgRole): boolean {
  return roleRank[principal.role] >= roleRank[atLeast];
}

export function hasKind(principal: Principal, ...kinds: OrgKind[]): boolean {
  return principal.orgStatus === 'active' && kinds.some((kind) => principal.orgKinds.includes(kind));
}

export function isOperator(principal: Principal): boolean {
  return hasKind(principal, 'operator');
}

/** Operators and regulators may read across organisations (the ledger, the directory's pending list). */
export function isOverseer(principal: Principal): boolean {
  return hasKind(principal, 'operator', 'regulator');
}

export function requireKind(principal: Principal, ...kinds: OrgKind[]): void {
  if (!hasKind(principal, ...kinds)) {
    throw new AppError('forbidden', `this needs an organisation of kind ${kinds.join(' or ')}`);
  }
}

export function requireRole(principal: Principal, atLeast: OrgRole): void {
  if (!hasRole(principal, atLeast)) {
    throw new AppError('forbidden', `this needs the role ${atLeast} or higher in your organisation`);
  }
}

export interface Owned {
  orgId: string;
}

/**
 * The one check every object access goes through: the caller's organisation must own the object
 * (or be an operator, where the caller allows that). Anything else is answered as if the object
 * did not exist, so ids of other organisations' objects cannot be probed.
 */
export function authorize<T extends Owned>(
  principal: Principal,
  object: T | undefined | null,
  what: string,
  options: { operatorMay?: boolean; overseerMay?: boolean } = {},
): T {
  if (!object) throw notFound(what);
  if (object.orgId === principal.orgId) return object;
  if (options.operatorMay && isOperator(principal)) return object;
  if (options.overseerMay && isOverseer(principal)) return object;
  throw notFound(what);
}

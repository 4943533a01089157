import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../api';
import { useAction, useLoad } from '../../hooks';
import { ConfirmDialog } from '../Confirm';
import type { DirectoryEntry } from '../community/types';
import { formatDate } from '../data/common';
import type { LabDetail } from '../data/types';
import { ErrorMessage, Notice } from '../Feedback';
import { TableScroll } from '../TableScroll';

/**
 * The fields a validation-failed problem names, by the body field's own name: the platform names
 * schema faults by their path (`body/name`) and service faults by the field (`epsilonBudget`).
 */
export function fieldErrorsOf(error: Error | undefined): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation-failed') return {};
  const errors = (error.body as { errors?: { field?: unknown; message?: unknown }[] } | null)?.errors;
  if (!Array.isArray(errors)) return {};
  return Object.fromEntries(
    errors
      .filter((entry) => typeof entry.field === 'string' && typeof entry.message === 'string')
      .map((entry) => [(entry.field as string).split('/').pop() ?? '', entry.message as string]),
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}

/** A provider's administrator opens a lab; their organisation becomes its owner. */
export function CreateLabForm({ onCreated }: { onCreated: (detail: LabDetail) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [epsilonBudget, setEpsilonBudget] = useState('');
  const [minGroupSize, setMinGroupSize] = useState('');
  const [created, setCreated] = useState<string>();
  const create = useAction(async () => {
    const body: Record<string, unknown> = { name: name.trim() };
    if (description.trim()) body.description = description.trim();
    if (epsilonBudget.trim()) body.epsilonBudget = Number(epsilonBudget);
    if (minGroupSize.trim()) body.minGroupSize = Number(minGroupSize);
    const detail = await post<LabDetail>('/v1/labs', body);
    setCreated(detail.lab.name);
    setName('');
    setDescription('');
    setEpsilonBudget('');
    setMinGroupSize('');
    onCreated(detail);
    return detail;
  });
  const fields = fieldErrorsOf(create.error);
  const described = (field: string) => (fields[field] ? `create-lab-${field}-error` : undefined);

  return (
    <details className="panel lab-create">
      <summary className="lab-create-summary">{t('data.labs.create.title')}</summary>
      <p className="hint">{t('data.labs.create.lead')}</p>
      {created && <Notice kind="success">{t('data.labs.create.done', { name: created })}</Notice>}
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(undefined);
          void create.run();
        }}
      >
        <label>
          {t('data.labs.create.name')}
          <input
            value={name}
            maxLength={200}
            aria-invalid={fields.name ? true : undefined}
            aria-describedby={described('name')}
            onChange={(event) => setName(event.target.value)}
          />
          <FieldError id="create-lab-name-error" message={fields.name} />
        </label>
        <label>
          {t('data.labs.create.description')}
          <textarea
            value={description}
            aria-invalid={fields.description ? true : undefined}
            aria-describedby={described('description')}
            onChange={(event) => setDescription(event.target.value)}
          />
          <FieldError id="create-lab-description-error" message={fields.description} />
        </label>
        <label>
          {t('data.labs.create.epsilonBudget')}
          <input
            type="number"
            step="any"
            value={epsilonBudget}
            aria-invalid={fields.epsilonBudget ? true : undefined}
            aria-describedby={described('epsilonBudget')}
            onChange={(event) => setEpsilonBudget(event.target.value)}
          />
          <FieldError id="create-lab-epsilonBudget-error" message={fields.epsilonBudget} />
        </label>
        <p className="hint">{t('data.labs.create.epsilonBudgetHint')}</p>
        <label>
          {t('data.labs.create.minGroupSize')}
          <input
            type="number"
            step="1"
            value={minGroupSize}
            aria-invalid={fields.minGroupSize ? true : undefined}
            aria-describedby={described('minGroupSize')}
            onChange={(event) => setMinGroupSize(event.target.value)}
          />
          <FieldError id="create-lab-minGroupSize-error" message={fields.minGroupSize} />
        </label>
        <ErrorMessage error={create.error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {t('data.labs.create.submit')}
          </button>
        </div>
      </form>
    </details>
  );
}

type SeatRole = 'data-owner' | 'researcher';

/**
 * The lab's members in a table; for the lab owner, a way to seat another organisation from
 * the directory. A seat cannot be taken back from the portal, so it is asked for first.
 */
export function MembersPanel({
  labId,
  members,
  isOwner,
  orgName,
  onChanged,
}: {
  labId: string;
  members: LabDetail['members'];
  isOwner: boolean;
  orgName: (orgId: string) => string;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const directory = useLoad(
    () => (isOwner ? get<{ items: DirectoryEntry[] }>('/v1/directory') : Promise.resolve({ items: [] })),
    [isOwner],
  );
  const [orgId, setOrgId] = useState('');
  const [role, setRole] = useState<SeatRole>('researcher');
  const [isConfirming, setConfirming] = useState(false);
  const [added, setAdded] = useState<string>();
  const seated = new Set(members.map((member) => member.orgId));
  const candidates = (directory.data?.items ?? []).filter((entry) => !seated.has(entry.id));
  const chosenName = candidates.find((entry) => entry.id === orgId)?.name ?? orgId;
  const add = useAction(async () => {
    try {
      await post(`/v1/labs/${labId}/members`, { orgId, role });
    } finally {
      setConfirming(false);
    }
    setAdded(t('data.labs.seat.done', { org: chosenName, role: t(`data.labs.role.${role}`) }));
    setOrgId('');
    onChanged();
  });

  return (
    <div className="panel">
      <h3>{t('data.labs.members')}</h3>
      <TableScroll label={t('data.labs.members')}>
        <table className="data-table">
          <caption className="visually-hidden">{t('data.labs.members')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('data.labs.seat.org')}</th>
              <th scope="col">{t('data.labs.seat.role')}</th>
              <th scope="col">{t('data.labs.seat.endsAt')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.orgId}>
                <td>{orgName(member.orgId)}</td>
                <td>{t(`data.labs.role.${member.role}`)}</td>
                <td className="date">
                  {member.endsAt
                    ? formatDate(member.endsAt, i18n.language)
                    : t('data.labs.seat.untilRemoved')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {isOwner && (
        <>
          {added && <Notice kind="success">{added}</Notice>}
          <ErrorMessage error={directory.error} />
          <form
            className="toolbar"
            onSubmit={(event) => {
              event.preventDefault();
              if (!orgId) return;
              add.clearError();
              setAdded(undefined);
              setConfirming(true);
            }}
          >
            <label className="lab-seat-choice">
              {t('data.labs.seat.org')}
              <select
                className="lab-seat-select"
                value={orgId}
                onChange={(event) => setOrgId(event.target.value)}
              >
                <option value="">{t('data.labs.seat.chooseOrg')}</option>
                {candidates.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="lab-seat-choice">
              {t('data.labs.seat.role')}
              <select
                className="lab-seat-select"
                value={role}
                onChange={(event) => setRole(event.target.value as SeatRole)}
              >
                <option value="researcher">{t('data.labs.role.researcher')}</option>
                <option value="data-owner">{t('data.labs.role.data-owner')}</option>
              </select>
            </label>
            <button type="submit" className="button button-primary" disabled={!orgId || add.isPending}>
              {t('data.labs.seat.add')}
            </button>
          </form>
          <p className="hint">{t('data.labs.seat.noRemoval')}</p>
          <ErrorMessage error={add.error} />
          <ConfirmDialog
            open={isConfirming}
            title={t('data.labs.seat.confirmTitle', { org: chosenName })}
            consequence={
              <p>
                {t(`data.labs.seat.consequence.${role}`, { org: chosenName })} {t('data.labs.seat.noRemoval')}
              </p>
            }
            confirmLabel={t('data.labs.seat.confirm', { role: t(`data.labs.role.${role}`) })}
            isPending={add.isPending}
            onConfirm={() => void add.run()}
            onCancel={() => setConfirming(false)}
          />
        </>
      )}
    </div>
  );
}

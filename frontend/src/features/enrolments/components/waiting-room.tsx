import { useState, type FormEvent } from 'react';
import { Badge, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCreateOrganization, useOrganizations } from '../../../api/hooks';
import { useSession } from '../../../auth';
import { ErrorMessage, QueryState, RelativeTime } from '../../../components/common';
import { ConfirmModal } from '../../../components/dialogs';
import {
  undecided,
  useApproveEnrolment,
  useEnrolments,
  useRejectEnrolment,
  type WaitingOrchestrator,
} from '../api/enrolments';

/**
 * Orchestrators nobody registered that connected and wait for an admin: what their handshake said
 * about them, where they connect from, and when they were last heard. An admin approves one into an
 * organization (an existing one, or one made on the spot) or rejects it; live events keep the list
 * current.
 */
export function WaitingRoom() {
  const { canChange } = useSession();
  const enrolments = useEnrolments();
  const [approving, setApproving] = useState<WaitingOrchestrator | null>(null);
  const [rejecting, setRejecting] = useState<WaitingOrchestrator | null>(null);
  const reject = useRejectEnrolment();
  return (
    <>
      <Title order={1} mb="md">
        Waiting for approval
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Orchestrators that connected without being registered. Nothing they send is kept but what is shown here until an
        admin approves them.
      </Text>
      <QueryState
        query={enrolments}
        label="enrolment requests"
        empty="No orchestrator is waiting for approval."
        isEmpty={(requests) => undecided(requests).length === 0}
      >
        {(requests) => (
          <Table striped aria-label="Waiting for approval">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Orchestrator</Table.Th>
                <Table.Th>Host and version</Table.Th>
                <Table.Th>Location</Table.Th>
                <Table.Th>Features</Table.Th>
                <Table.Th>Connects from</Table.Th>
                <Table.Th>First seen</Table.Th>
                <Table.Th>Last seen</Table.Th>
                {canChange && <Table.Th>Decision</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {undecided(requests).map((r) => (
                <Table.Tr key={r.orchestratorId} data-testid={`waiting-${r.orchestratorId}`}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Code>{r.orchestratorId}</Code>
                      {r.name && <Text size="sm">{r.name}</Text>}
                      <Group gap={4}>
                        <Badge size="xs" variant="light" color={r.waiting ? 'green' : 'gray'}>
                          {r.waiting ? 'connected' : 'not connected'}
                        </Badge>
                        <Badge size="xs" variant="outline" color={r.keyFingerprint ? 'blue' : 'violet'}>
                          {r.keyFingerprint ? 'gets a token' : 'original client, no token'}
                        </Badge>
                      </Group>
                      {r.keyFingerprint && <Text size="xs" c="dimmed">key {r.keyFingerprint}</Text>}
                      {r.proposedOrganizationId && <Text size="xs" c="dimmed">enrolment token for {r.proposedOrganizationId}</Text>}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {r.hostname ?? '—'}
                    {r.version && <Text size="xs" c="dimmed">version {r.version}</Text>}
                  </Table.Td>
                  <Table.Td>{r.location ?? '—'}</Table.Td>
                  <Table.Td>{r.features && Object.keys(r.features).length > 0 ? Object.keys(r.features).join(', ') : '—'}</Table.Td>
                  <Table.Td>
                    {r.remoteAddress ?? '—'}
                    {r.ip && r.ip !== r.remoteAddress && <Text size="xs" c="dimmed">says {r.ip}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime at={r.firstSeenAt} />
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime at={r.lastSeenAt} />
                  </Table.Td>
                  {canChange && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setApproving(r)} aria-label={`Approve ${r.orchestratorId}`}>
                          Approve
                        </Button>
                        <Button size="xs" variant="default" onClick={() => { reject.reset(); setRejecting(r); }}
                          aria-label={`Reject ${r.orchestratorId}`}>
                          Reject
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <ApproveDialog request={approving} onClose={() => setApproving(null)} />
      <ConfirmModal
        opened={!!rejecting}
        title={`Reject ${rejecting?.orchestratorId ?? ''}?`}
        confirmLabel="Reject"
        danger
        onConfirm={() => reject.mutateAsync(rejecting!.orchestratorId)}
        onClose={() => setRejecting(null)}
      >
        Its connection is closed (4403), and every edge turns it away for a day. It may ask again after that.
      </ConfirmModal>
    </>
  );
}

/** Approves into an existing organization, or into a new one made from the name given. */
function ApproveDialog({ request, onClose }: { request: WaitingOrchestrator | null; onClose: () => void }) {
  const organizations = useOrganizations();
  const createOrganization = useCreateOrganization();
  const approve = useApproveEnrolment();
  const [form, setForm] = useState({ organizationId: '', newOrganization: '', name: '' });
  const [shownFor, setShownFor] = useState<WaitingOrchestrator | null>(null);
  if (request !== shownFor) {
    setShownFor(request);
    setForm({ organizationId: request?.proposedOrganizationId ?? '', newOrganization: '', name: request?.name ?? '' });
    approve.reset();
    createOrganization.reset();
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const organizationId = form.newOrganization.trim()
      ? (await createOrganization.mutateAsync({ name: form.newOrganization.trim() })).organizationId
      : form.organizationId;
    await approve.mutateAsync({ request: request!, organizationId, name: form.name.trim() || undefined });
    onClose();
  };
  return (
    <Modal opened={!!request} onClose={onClose} title={`Approve ${request?.orchestratorId ?? ''}`}>
      <form onSubmit={(e) => submit(e).catch(() => {})}>
        <Stack>
          <Text size="sm">
            {request?.keyFingerprint
              ? `It receives its token over its waiting connection and keeps it. Check that its key fingerprint, ${request.keyFingerprint}, is the one its log shows.`
              : 'An original client: it sends no key, and is let connect without a token. Anyone who knows its id could then connect as it.'}
          </Text>
          <Select
            label="Organization"
            searchable
            disabled={!!form.newOrganization.trim()}
            data={(organizations.data?.items ?? []).map((o) => ({ value: o.organizationId, label: `${o.name} (${o.organizationId})` }))}
            value={form.organizationId || null}
            onChange={(v) => setForm({ ...form, organizationId: v ?? '' })}
          />
          <TextInput
            label="Or a new organization"
            description="Its name; the organization is created with the approval"
            value={form.newOrganization}
            onChange={(e) => setForm({ ...form, newOrganization: e.currentTarget.value })}
          />
          <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <ErrorMessage error={createOrganization.error ?? approve.error} />
          <Button type="submit" loading={createOrganization.isPending || approve.isPending}
            disabled={!form.organizationId && !form.newOrganization.trim()}>
            Approve
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** How many orchestrators wait for a decision, for the navigation; nothing when none do. */
export function WaitingCount() {
  const enrolments = useEnrolments();
  const count = undecided(enrolments.data ?? []).length;
  return count > 0 ? (
    <Badge size="sm" color="orange" variant="filled" aria-label={`${count} waiting`}>
      {count}
    </Badge>
  ) : null;
}

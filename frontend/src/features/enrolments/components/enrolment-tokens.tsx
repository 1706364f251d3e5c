import { useState, type FormEvent } from 'react';
import { Badge, Button, Code, Group, Modal, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useChange } from '../../../api/hooks';
import { useSession } from '../../../auth';
import { ErrorMessage, QueryState, RelativeTime } from '../../../components/common';
import { ConfirmModal, TokenModal } from '../../../components/dialogs';

/** An organization's enrolment token as the API shows it: never the token itself but once. */
export interface EnrolmentToken {
  tokenId: string;
  organizationId: string;
  description: string | null;
  autoApprove: boolean;
  maxUses: number | null;
  uses: number;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

const tokensPath = (organizationId: string) =>
  `/api/v1/controller/organizations/${encodeURIComponent(organizationId)}/enrolment-tokens`;

const useEnrolmentTokens = (organizationId: string) =>
  useQuery({ queryKey: ['organizations', organizationId, 'enrolment-tokens'], queryFn: () => api<EnrolmentToken[]>(tokensPath(organizationId)) });

/**
 * An organization's enrolment tokens: an agent given one (`ORCHESTRATOR_ENROLMENT_TOKEN`) asks to
 * join the organization, and is registered at once when the token approves by itself. Admins make
 * one (shown once), see their uses, and revoke them.
 */
export function EnrolmentTokens({ organizationId }: { organizationId: string }) {
  const { canChange } = useSession();
  const tokens = useEnrolmentTokens(organizationId);
  const create = useChange((body: object) =>
    api<{ enrolmentToken: EnrolmentToken; token: string }>(tokensPath(organizationId), { method: 'POST', body }),
  );
  const revoke = useChange((tokenId: string) => api<EnrolmentToken>(`${tokensPath(organizationId)}/${tokenId}`, { method: 'DELETE' }));
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<EnrolmentToken | null>(null);
  const [form, setForm] = useState({ description: '', autoApprove: false, days: 7 as number | string, maxUses: '' as number | string });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.mutateAsync({
      description: form.description.trim() || undefined,
      autoApprove: form.autoApprove,
      expiresInSeconds: Math.round(Number(form.days) * 86_400),
      maxUses: form.maxUses === '' ? undefined : Number(form.maxUses),
    });
    setCreating(false);
    setForm({ description: '', autoApprove: false, days: 7, maxUses: '' });
    setShown(created.token);
  };

  return (
    <>
      <Group justify="space-between" mt="xl" mb="sm">
        <Title order={2} size="h3">
          Enrolment tokens
        </Title>
        {canChange && (
          <Button variant="default" onClick={() => { create.reset(); setCreating(true); }}>
            New enrolment token
          </Button>
        )}
      </Group>
      <QueryState query={tokens} label="enrolment tokens" empty="No enrolment tokens." isEmpty={(list) => list.length === 0}>
        {(list) => (
          <Table striped aria-label="Enrolment tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Token</Table.Th>
                <Table.Th>Approval</Table.Th>
                <Table.Th>Uses</Table.Th>
                <Table.Th>Expires</Table.Th>
                {canChange && <Table.Th>Revoke</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((t) => (
                <Table.Tr key={t.tokenId} data-testid={`enrolment-token-${t.tokenId}`}>
                  <Table.Td>
                    <Code>{t.tokenId}</Code>
                    {t.description && <Text size="sm">{t.description}</Text>}
                  </Table.Td>
                  <Table.Td>{t.autoApprove ? 'at once' : 'by an admin'}</Table.Td>
                  <Table.Td>
                    {t.uses}
                    {t.maxUses !== null ? ` of ${t.maxUses}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {t.revokedAt ? (
                      <Badge color="gray" variant="light">revoked</Badge>
                    ) : Date.parse(t.expiresAt) <= Date.now() ? (
                      <Badge color="gray" variant="light">expired</Badge>
                    ) : (
                      <time dateTime={t.expiresAt}>{new Date(t.expiresAt).toLocaleString()}</time>
                    )}
                    <Text size="xs" c="dimmed">
                      made by {t.createdBy} <RelativeTime at={t.createdAt} />
                    </Text>
                  </Table.Td>
                  {canChange && (
                    <Table.Td>
                      {!t.revokedAt && (
                        <Button size="xs" variant="default" aria-label={`Revoke ${t.tokenId}`} onClick={() => { revoke.reset(); setRevoking(t); }}>
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New enrolment token">
        <form onSubmit={(e) => submit(e).catch(() => {})}>
          <Stack>
            <TextInput label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
            <Switch
              label="Approve at once"
              description="Orchestrators enrolling with it are registered without an admin"
              checked={form.autoApprove}
              onChange={(e) => setForm({ ...form, autoApprove: e.currentTarget.checked })}
            />
            <NumberInput label="Expires in (days)" min={1} max={365} value={form.days} onChange={(v) => setForm({ ...form, days: v })} />
            <NumberInput label="Uses at most" description="Empty: no limit" min={1} value={form.maxUses}
              onChange={(v) => setForm({ ...form, maxUses: v })} />
            <ErrorMessage error={create.error} />
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Stack>
        </form>
      </Modal>
      <TokenModal
        token={shown}
        orchestratorId=""
        title="Enrolment token"
        variable="ORCHESTRATOR_ENROLMENT_TOKEN"
        about={<>Enrols into <Code>{organizationId}</Code></>}
        onClose={() => setShown(null)}
      />
      <ConfirmModal
        opened={!!revoking}
        title={`Revoke ${revoking?.tokenId ?? ''}?`}
        confirmLabel="Revoke"
        danger
        onConfirm={() => revoke.mutateAsync(revoking!.tokenId)}
        onClose={() => setRevoking(null)}
      >
        Every edge refuses it from now on. The orchestrators it enrolled keep their own tokens.
      </ConfirmModal>
    </>
  );
}

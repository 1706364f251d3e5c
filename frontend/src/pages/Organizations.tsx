import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Anchor, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import {
  useCreateOrganization,
  useDeleteOrganization,
  useInstances,
  useOrganization,
  useOrganizations,
  useUpdateOrganization,
  type OrganizationInput,
} from '../api/hooks';
import type { Organization } from '../api/types';
import { useSession } from '../auth';
import { ErrorMessage, QueryState } from '../components/common';
import { ConfirmModal } from '../components/dialogs';
import { EnrolmentTokens } from '../features/enrolments/components/enrolment-tokens';
import { InstanceTable } from '../features/fleet/components/fleet-table';
import { NewOrchestratorButton } from './NewOrchestrator';

export function Organizations() {
  const { canChange } = useSession();
  const organizations = useOrganizations();
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>Organizations</Title>
        {canChange && <Button onClick={() => setEditing('new')}>New organization</Button>}
      </Group>
      <QueryState query={organizations} label="organizations" empty="No organizations yet." isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <Table striped highlightOnHover aria-label="Organizations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Id</Table.Th>
                <Table.Th>Location</Table.Th>
                <Table.Th>Orchestrators</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((o) => (
                <Table.Tr key={o.organizationId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/organizations/${encodeURIComponent(o.organizationId)}`}>
                      {o.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{o.organizationId}</Table.Td>
                  <Table.Td>{o.location}</Table.Td>
                  <Table.Td>{o.orchestratorCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <OrganizationForm organization={editing} onClose={() => setEditing(null)} />
    </>
  );
}

/** Creates (organization 'new') or edits an organization. */
function OrganizationForm({ organization, onClose }: { organization: Organization | 'new' | null; onClose: () => void }) {
  const isNew = organization === 'new';
  const create = useCreateOrganization();
  const update = useUpdateOrganization();
  const change = isNew ? create : update;
  const [form, setForm] = useState<OrganizationInput>({ name: '' });
  const [shownFor, setShownFor] = useState<typeof organization>(null);
  if (organization !== shownFor) {
    setShownFor(organization);
    setForm(organization && organization !== 'new'
      ? { organizationId: organization.organizationId, name: organization.name, location: organization.location ?? '' }
      : { organizationId: '', name: '', location: '' });
    create.reset();
    update.reset();
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { ...form, organizationId: form.organizationId?.trim() || undefined, location: form.location?.trim() || undefined };
    if (isNew) await create.mutateAsync(body);
    else await update.mutateAsync({ ...body, organizationId: (organization as Organization).organizationId });
    onClose();
  };
  return (
    <Modal opened={!!organization} onClose={onClose} title={isNew ? 'New organization' : 'Edit organization'}>
      <form onSubmit={(e) => submit(e).catch(() => {})}>
        <Stack>
          {isNew && (
            <TextInput
              label="Organization id"
              description="Optional: derived from the name when empty"
              value={form.organizationId ?? ''}
              onChange={(e) => setForm({ ...form, organizationId: e.currentTarget.value })}
            />
          )}
          <TextInput label="Name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <TextInput label="Location" value={form.location ?? ''} onChange={(e) => setForm({ ...form, location: e.currentTarget.value })} />
          <ErrorMessage error={change.error} />
          <Button type="submit" loading={change.isPending}>
            {isNew ? 'Create' : 'Save'}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function OrganizationDetail() {
  const { id = '' } = useParams();
  const { canChange } = useSession();
  const organization = useOrganization(id);
  const instances = useInstances({ organizationId: id });
  const remove = useDeleteOrganization();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<Organization | null>(null);
  const [deleting, setDeleting] = useState(false);

  return (
    <QueryState query={organization} label="the organization">
      {(o) => (
        <>
          <Group justify="space-between" mb="xs">
            <Title order={1}>{o.name}</Title>
            {canChange && (
              <Group>
                <Button variant="default" onClick={() => setEditing(o)}>
                  Edit
                </Button>
                <Button color="red" variant="light" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
                <NewOrchestratorButton organizationId={o.organizationId} onCreated={(created) => navigate(`/orchestrators/${created}`)} />
              </Group>
            )}
          </Group>
          <Text c="dimmed" mb="lg">
            {o.organizationId}
            {o.location ? ` · ${o.location}` : ''} · {o.orchestratorCount} orchestrator(s)
          </Text>
          <Title order={2} size="h3" mb="sm">
            Orchestrators
          </Title>
          <QueryState query={instances} label="orchestrators" empty="No orchestrators in this organization." isEmpty={(p) => p.items.length === 0}>
            {(page) => <InstanceTable instances={page.items} />}
          </QueryState>
          <EnrolmentTokens organizationId={o.organizationId} />
          <OrganizationForm organization={editing} onClose={() => setEditing(null)} />
          <ConfirmModal
            opened={deleting}
            title={`Delete ${o.name}?`}
            confirmLabel="Delete organization"
            danger
            onClose={() => setDeleting(false)}
            onConfirm={async () => {
              await remove.mutateAsync(o.organizationId);
              navigate('/organizations');
            }}
          >
            The organization is deleted for good. An organization that still has orchestrators cannot be deleted.
          </ConfirmModal>
        </>
      )}
    </QueryState>
  );
}

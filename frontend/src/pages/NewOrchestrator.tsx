import { useState, type FormEvent } from 'react';
import { Button, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useCreateInstance, useOrganizations } from '../api/hooks';
import { ErrorMessage } from '../components/common';
import { TokenModal } from '../components/dialogs';

/** Creates an orchestrator and shows its token once. */
export function NewOrchestratorButton({ organizationId, onCreated }: { organizationId?: string; onCreated?: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ id: string; token: string } | null>(null);
  const [form, setForm] = useState({ orchestratorId: '', organizationId: organizationId ?? '', name: '', location: '' });
  const organizations = useOrganizations();
  const create = useCreateInstance();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create.mutateAsync({
      organizationId: form.organizationId,
      orchestratorId: form.orchestratorId.trim() || undefined,
      name: form.name.trim() || undefined,
      location: form.location.trim() || undefined,
    });
    setOpen(false);
    setForm({ orchestratorId: '', organizationId: organizationId ?? '', name: '', location: '' });
    setCreated({ id: result.instance.orchestratorId, token: result.token });
  };

  return (
    <>
      <Button onClick={() => { create.reset(); setOpen(true); }}>New orchestrator</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="New orchestrator">
        <form onSubmit={(e) => submit(e).catch(() => {})}>
          <Stack>
            <Select
              label="Organization"
              required
              searchable
              data={(organizations.data?.items ?? []).map((o) => ({ value: o.organizationId, label: `${o.name} (${o.organizationId})` }))}
              value={form.organizationId || null}
              onChange={(v) => setForm({ ...form, organizationId: v ?? '' })}
            />
            <TextInput
              label="Orchestrator id"
              description="Optional: derived from the organization when empty"
              value={form.orchestratorId}
              onChange={(e) => setForm({ ...form, orchestratorId: e.currentTarget.value })}
            />
            <TextInput label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            <TextInput label="Location" value={form.location} onChange={(e) => setForm({ ...form, location: e.currentTarget.value })} />
            <ErrorMessage error={create.error} />
            <Button type="submit" loading={create.isPending} disabled={!form.organizationId}>
              Create
            </Button>
          </Stack>
        </form>
      </Modal>
      <TokenModal
        token={created?.token ?? null}
        orchestratorId={created?.id ?? ''}
        onClose={() => {
          const id = created?.id;
          setCreated(null);
          if (id) onCreated?.(id);
        }}
      />
    </>
  );
}

import { useState, type ReactNode } from 'react';
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { ErrorMessage } from './common';

/**
 * A token, shown this once, with a copy button: an orchestrator's (the default), or another kind
 * (`title`, the variable it goes in, and what it is for).
 */
export function TokenModal({
  token,
  orchestratorId,
  onClose,
  title = 'Orchestrator token',
  variable = 'ORCHESTRATOR_TOKEN',
  about,
}: {
  token: string | null;
  orchestratorId: string;
  onClose: () => void;
  title?: string;
  variable?: string;
  about?: ReactNode;
}) {
  return (
    <Modal opened={!!token} onClose={onClose} title={title} size="lg">
      <Stack>
        <Alert color="yellow" title="Shown only now">
          Copy this token into the orchestrator's <Code>{variable}</Code>. It cannot be shown again
          {variable === 'ORCHESTRATOR_TOKEN' ? '; rotate it if it is lost.' : '; make another if it is lost.'}
        </Alert>
        <Text size="sm">
          {about ?? (
            <>
              Orchestrator <Code>{orchestratorId}</Code>
            </>
          )}
        </Text>
        <Code block data-testid="token" aria-label="Token">
          {token}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={token ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
                {copied ? 'Copied' : 'Copy token'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A confirmation before a change; shows the change's error, if any, without closing. */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <Stack>
        <div>{children}</div>
        <ErrorMessage error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color={danger ? 'red.9' : undefined} loading={busy} onClick={confirm} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

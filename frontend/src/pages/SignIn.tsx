import { useState, type FormEvent } from 'react';
import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { api, ApiError } from '../api/client';
import type { Me } from '../api/types';
import { ErrorMessage } from '../components/common';

/** Sign-in with an admin or viewer bearer token, checked against the API before it is kept. */
export function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<Me>('/api/v1/controller/me', { token: token.trim() });
      onToken(token.trim());
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? new Error('That token was not accepted.') : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh">
      <Paper withBorder p="xl" w={420} component="main">
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h2">
              Mooli Controller
            </Title>
            <Text c="dimmed" size="sm">
              Sign in with an admin or viewer token.
            </Text>
            <PasswordInput label="Access token" required autoFocus value={token} onChange={(e) => setToken(e.currentTarget.value)} />
            <ErrorMessage error={error} />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

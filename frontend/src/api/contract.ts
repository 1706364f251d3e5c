import type { EnrolmentToken } from '../features/enrolments/components/enrolment-tokens';
import type { WaitingOrchestrator } from '../features/enrolments/api/enrolments';
import type { EventTicket } from '../features/events/api/create-event-ticket';
import type { Pipeline } from '../features/pipeline/api/pipeline';
import type { components } from './schema';
import type {
  ActivityEntry,
  Independence,
  Instance,
  Liveness,
  Me,
  Organization,
  Page,
  Recommendation,
  Report,
  StatusChanges,
  Summary,
  Transition,
  Window,
  WithToken,
} from './types';

/**
 * The dashboard's types held to control-api's OpenAPI document (`docs/admin-api.openapi.json`,
 * which `ApiDocsTest` holds to the API; `src/api/schema.d.ts` is generated from it, and
 * `npm run api:check` fails the build when it is not current). Every field a dashboard type reads
 * must be in the API's schema of that answer: `tsc` fails here, naming the field, when the API
 * drops or renames one the dashboard still reads.
 */
type Schemas = components['schemas'];

/** The fields of the dashboard's type that the API's schema does not have. */
type Missing<UI, API> = Exclude<keyof UI, keyof API>;

/** `true` when every field the dashboard reads is in the API's schema; else what is missing. */
type Within<UI, API> = [Missing<UI, API>] extends [never] ? true : { missingFromTheApi: Missing<UI, API> };

export const dashboardTypesWithinTheApi: [
  Within<Me, Schemas['Actor']>,
  Within<Instance, Schemas['Instance']>,
  Within<Liveness, Schemas['Liveness']>,
  Within<Page<Instance>, Schemas['PageInstance']>,
  Within<WithToken, Schemas['InstanceWithToken']>,
  Within<StatusChanges, Schemas['StatusChanges']>,
  Within<Summary, Schemas['Summary']>,
  Within<Organization, Schemas['Organization']>,
  Within<Independence, Schemas['Independence']>,
  Within<Transition, Schemas['Transition']>,
  Within<Window, Schemas['Window']>,
  Within<Report, Schemas['Report']>,
  Within<Recommendation, Schemas['Recommendation']>,
  Within<ActivityEntry, Schemas['Entry']>,
  Within<WaitingOrchestrator, Schemas['WaitingOrchestrator']>,
  Within<EnrolmentToken, Schemas['EnrolmentTokenView']>,
  Within<EventTicket, Schemas['Ticket']>,
  Within<Pipeline, Schemas['Pipeline']>,
  Within<Pipeline['services'][number], Schemas['ServiceReadiness']>,
  Within<Pipeline['consumers'][number], Schemas['ConsumerLag']>,
  Within<Pipeline['outbox'], Schemas['OutboxBacklog']>,
  Within<Pipeline['deadLetters'][number], Schemas['DeadLetterCount']>,
  Within<Pipeline['edges'][number], Schemas['EdgeSessions']>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

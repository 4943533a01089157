import type { FastifyInstance } from 'fastify';
import { agreementRoutes } from '../modules/access/agreement-routes.js';
import type { AgreementService } from '../modules/access/agreements.js';
import type { OAuthServer } from '../modules/access/oauth.js';
import { accessRoutes } from '../modules/access/routes.js';
import type { AccessService } from '../modules/access/service.js';
import { termsTemplateRoutes } from '../modules/access/terms-template-routes.js';
import type { TermsTemplateService } from '../modules/access/terms-templates.js';
import { auditRoutes } from '../modules/audit/routes.js';
import type { AuditLedger } from '../modules/audit/service.js';
import { ckanRoutes } from '../modules/catalog/ckan-routes.js';
import { datasetRoutes } from '../modules/catalog/dataset-routes.js';
import type { DatasetService } from '../modules/catalog/datasets.js';
import { dcatRoutes } from '../modules/catalog/dcat-routes.js';
import type { CatalogueListing } from '../modules/catalog/listing.js';
import { catalogRoutes } from '../modules/catalog/routes.js';
import type { CatalogService } from '../modules/catalog/service.js';
import type { DirectoryService } from '../modules/community/directory.js';
import { directoryRoutes } from '../modules/community/directory-routes.js';
import type { NotificationService } from '../modules/community/notifications.js';
import type { ReminderService } from '../modules/community/reminders.js';
import { webhookRoutes } from '../modules/community/webhook-routes.js';
import type { WebhookService } from '../modules/community/webhooks.js';
import { wishRoutes } from '../modules/community/wish-routes.js';
import type { WishService } from '../modules/community/wishes.js';
import type { DeletionRequestService } from '../modules/consent/deletion.js';
import { deletionRequestRoutes } from '../modules/consent/deletion-routes.js';
import { consentRoutes } from '../modules/consent/routes.js';
import type { ConsentService } from '../modules/consent/service.js';
import { type TransferService, transferRoutes } from '../modules/crossborder/index.js';
import { type DeclarationService, declarationRoutes } from '../modules/declarations/index.js';
import type { Gateway } from '../modules/gateway/handler.js';
import { usageRoutes } from '../modules/gateway/routes.js';
import type { UsageService } from '../modules/gateway/usage.js';
import { type HarvestService, harvestRoutes } from '../modules/harvest/index.js';
import type { SingleSignOn } from '../modules/identity/oidc.js';
import { oidcRoutes } from '../modules/identity/oidc-routes.js';
import { identityRoutes } from '../modules/identity/routes.js';
import type { IdentityService } from '../modules/identity/service.js';
import { labModelRoutes } from '../modules/lab/model-routes.js';
import type { LabModels } from '../modules/lab/models.js';
import type { ModelPublication } from '../modules/lab/publication.js';
import { labRoutes } from '../modules/lab/routes.js';
import type { LabService } from '../modules/lab/service.js';
import { labTwinRoutes } from '../modules/lab/twin-routes.js';
import type { LabTwins } from '../modules/lab/twins.js';
import { queryRoutes } from '../modules/query/routes.js';
import type { QueryService } from '../modules/query/service.js';
import { type RegulatorService, regulatorRoutes } from '../modules/regulator/index.js';
import {
  deltaSharingPrefix,
  deltaSharingRoutes,
  type SharingService,
  sharingRoutes,
} from '../modules/sharing/index.js';

/** The modules' services, built once by the composition root (src/platform.ts) and handed to the routes. */
export interface ModuleServices {
  identity: IdentityService;
  /** Single sign-on with OpenID Connect providers. */
  sso: SingleSignOn;
  audit: AuditLedger;
  catalog: CatalogService;
  datasets: DatasetService;
  access: AccessService;
  agreements: AgreementService;
  templates: TermsTemplateService;
  query: QueryService;
  labs: LabService;
  /** The Data Lab's training jobs and the models they make. */
  labModels: LabModels;
  modelPublication: ModelPublication;
  /** Synthetic twins of lab datasets. */
  labTwins: LabTwins;
  transfers: TransferService;
  notifications: NotificationService;
  /** The catalogue as each caller sees it, for the open protocols (CKAN, DCAT). */
  listing: CatalogueListing;
  sharing: SharingService;
  consents: ConsentService;
  deletions: DeletionRequestService;
  webhooks: WebhookService;
  regulator: RegulatorService;
  /** Harvesting of CKAN portals and DCAT catalogues. */
  harvest: HarvestService;
  /** The data community: the wish board and the directory. */
  wishes: WishService;
  directory: DirectoryService;
  /** Everything as code: plan, apply, export and drift of declaration files. */
  declarations: DeclarationService;
  oauth: OAuthServer;
  usage: UsageService;
  /** The data plane: `/gw/…` is handed to it before Fastify's router (see DESIGN.md, Gateway). */
  gateway: Gateway;
  reminders: ReminderService;
}

export interface RouteOptions {
  secureCookies: boolean;
  maxUploadBytes: number;
}

type ModuleRoutes = (app: FastifyInstance, services: ModuleServices, options: RouteOptions) => unknown;

/**
 * Every module's routes, in the order they are registered. A new module adds its service to
 * `ModuleServices` and its routes here (docs/architecture.md).
 */
export const moduleRoutes: ModuleRoutes[] = [
  (app, services, options) =>
    identityRoutes(app, services.identity, { secureCookies: options.secureCookies }),
  (app, services, options) => oidcRoutes(app, services.sso, { secureCookies: options.secureCookies }),
  (app, services) => auditRoutes(app, services.audit, services.identity),
  (app, services) => catalogRoutes(app, services.catalog),
  (app, services) => accessRoutes(app, services.access, services.oauth, services.gateway),
  (app, services) => usageRoutes(app, services.usage),
  (app, services, options) =>
    datasetRoutes(app, services.datasets, { maxUploadBytes: options.maxUploadBytes }),
  (app, services) => agreementRoutes(app, services.agreements),
  (app, services) => termsTemplateRoutes(app, services.templates),
  (app, services) => queryRoutes(app, services.query),
  (app, services) => labRoutes(app, services.labs),
  (app, services) => labModelRoutes(app, services.labModels, services.modelPublication),
  (app, services) => labTwinRoutes(app, services.labTwins),
  (app, services) => consentRoutes(app, services.consents),
  (app, services) => deletionRequestRoutes(app, services.deletions),
  (app, services) => transferRoutes(app, services.transfers, services.notifications),
  (app, services) => webhookRoutes(app, services.webhooks),
  (app, services) => regulatorRoutes(app, services.regulator),
  (app, services) => harvestRoutes(app, services.harvest),
  (app, services) => wishRoutes(app, services.wishes),
  (app, services) => directoryRoutes(app, services.directory),
  (app, services) => declarationRoutes(app, services.declarations),
  // Open protocols: CKAN Action API, DCAT-AP catalogue, Delta Sharing (each in its own envelope).
  (app, services) => ckanRoutes(app, { listing: services.listing, identity: services.identity }),
  (app, services) => dcatRoutes(app, { listing: services.listing, catalog: services.catalog }),
  (app, services) => sharingRoutes(app, services.sharing),
  (app, services) =>
    app.register(async (scope) => deltaSharingRoutes(scope, services.sharing), {
      prefix: deltaSharingPrefix,
    }),
];

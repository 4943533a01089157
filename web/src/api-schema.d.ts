// The platform API as TypeScript types, generated from its OpenAPI document by openapi-typescript.
// Do not edit: run `npm run api:types` after changing a route schema.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready when the database answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with e-mail and password; sets an httpOnly session cookie */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                        /** @description an organisation id (org_…) */
                        orgId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            organisation: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            /**
                             * Format: date-time
                             * @description the latest the session lasts; unused for STP_SESSION_IDLE_MINUTES, it ends sooner
                             */
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply to join: creates a pending organisation and its owner; an operator approves */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        organisation: {
                            name: string;
                            slug?: string;
                            kinds: ("operator" | "provider" | "consumer" | "regulator")[];
                            sector?: string;
                            description?: string;
                            /** Format: uri */
                            website?: string;
                            /** @enum {string} */
                            declaredLocation?: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                        };
                        owner: {
                            /** Format: email */
                            email: string;
                            name: string;
                            /** @description at least 12 and at most 256 characters, not a common password, not one short run repeated, not containing the name of your e-mail address; no rules about digits or symbols: a few unrelated words make a good one */
                            password: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            organisation: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: newcomers set a name and password, existing users give theirs */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        name?: string;
                        /** @description a newcomer's new password (at least 12 and at most 256 characters, not a common password, not one short run repeated, not containing the name of your e-mail address; no rules about digits or symbols: a few unrelated words make a good one), or an existing account's own */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            orgId: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/switch-org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Act for another organisation you belong to (sessions only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description an organisation id (org_…) */
                        orgId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            organisation: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            principal: {
                                type: string;
                            };
                            memberships: {
                                organisation: {
                                    id: string;
                                    slug: string;
                                    name: string;
                                    kinds: string[];
                                    /** @enum {string} */
                                    status: "pending" | "active" | "rejected" | "suspended";
                                    sector: string | null;
                                    description: string | null;
                                    website: string | null;
                                    declaredLocation: string | null;
                                    /** @description verified by an operator */
                                    location: string | null;
                                    locationVerifiedAt: string | null;
                                    /** Format: date-time */
                                    createdAt: string;
                                };
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I, for which organisation, with which role */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            organisation: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            principal: {
                                type: string;
                            };
                            memberships: {
                                organisation: {
                                    id: string;
                                    slug: string;
                                    name: string;
                                    kinds: string[];
                                    /** @enum {string} */
                                    status: "pending" | "active" | "rejected" | "suspended";
                                    sector: string | null;
                                    description: string | null;
                                    website: string | null;
                                    declaredLocation: string | null;
                                    /** @description verified by an operator */
                                    location: string | null;
                                    locationVerifiedAt: string | null;
                                    /** Format: date-time */
                                    createdAt: string;
                                };
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit your own profile: the name others see (the e-mail is your sign-in and stays) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            organisation: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            principal: {
                                type: string;
                            };
                            memberships: {
                                organisation: {
                                    id: string;
                                    slug: string;
                                    name: string;
                                    kinds: string[];
                                    /** @enum {string} */
                                    status: "pending" | "active" | "rejected" | "suspended";
                                    sector: string | null;
                                    description: string | null;
                                    website: string | null;
                                    declaredLocation: string | null;
                                    /** @description verified by an operator */
                                    location: string | null;
                                    locationVerifiedAt: string | null;
                                    /** Format: date-time */
                                    createdAt: string;
                                };
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your password (signed-in sessions only): give the current one; your other sessions end, this one stays */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        /** @description at least 12 and at most 256 characters, not a common password, not one short run repeated, not containing the name of your e-mail address; no rules about digits or symbols: a few unrelated words make a good one */
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description your other sessions, now ended */
                            sessionsEnded: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Forgotten password: mails a single-use link (30 minutes) to the address; the same answer whether or not an account has it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "accepted";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with a reset link's token; every session of the account ends */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                        /** @description at least 12 and at most 256 characters, not a common password, not one short run repeated, not containing the name of your e-mail address; no rules about digits or symbols: a few unrelated words make a good one */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessionsEnded: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The directory: active organisations (operators also see pending ones) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    status?: "pending" | "active" | "rejected" | "suspended";
                    kind?: "operator" | "provider" | "consumer" | "regulator";
                    q?: string;
                    /** @description false: only organisations whose location an operator has not verified yet */
                    locationVerified?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                slug: string;
                                name: string;
                                kinds: string[];
                                /** @enum {string} */
                                status: "pending" | "active" | "rejected" | "suspended";
                                sector: string | null;
                                description: string | null;
                                website: string | null;
                                declaredLocation: string | null;
                                /** @description verified by an operator */
                                location: string | null;
                                locationVerifiedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an organisation: active at once for operators, pending approval for anyone else */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        slug?: string;
                        kinds: ("operator" | "provider" | "consumer" | "regulator")[];
                        sector?: string;
                        description?: string;
                        /** Format: uri */
                        website?: string;
                        /** @enum {string} */
                        declaredLocation?: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit an organisation's profile (its admins, or an operator) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        sector?: string | null;
                        description?: string | null;
                        website?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/orgs/{orgId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending (or re-activate a suspended) organisation (operators) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a pending application, with a reason (operators) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend an active organisation, with a reason (operators) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/location": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Record an organisation's verified location (operators); cross-boundary rules rely on it */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        location: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                        evidence?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            kinds: string[];
                            /** @enum {string} */
                            status: "pending" | "active" | "rejected" | "suspended";
                            sector: string | null;
                            description: string | null;
                            website: string | null;
                            declaredLocation: string | null;
                            /** @description verified by an operator */
                            location: string | null;
                            locationVerifiedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                user: {
                                    id: string;
                                    email: string;
                                    name: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                };
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                                /** Format: date-time */
                                since: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "owner" | "admin" | "member";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            orgId: string;
                            userId: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/orgs/{orgId}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                orgId: string;
                                email: string;
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                                /** Format: date-time */
                                expiresAt: string;
                                acceptedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Invite someone by e-mail; the invitation code is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        /** @enum {string} */
                        role: "owner" | "admin" | "member";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            invitation: {
                                id: string;
                                orgId: string;
                                email: string;
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                                /** Format: date-time */
                                expiresAt: string;
                                acceptedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description shown once */
                            token: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/invitations/{invitationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                    invitationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            email: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "member";
                            /** Format: date-time */
                            expiresAt: string;
                            acceptedAt: string | null;
                            revokedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your tokens for the current organisation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                /** @description the first characters of the token, to tell tokens apart */
                                prefix: string;
                                orgId: string;
                                expiresAt: string | null;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a personal access token for the current organisation; the secret is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /**
                         * @description days until the token stops working; every token expires (at most 365)
                         * @default 90
                         */
                        expiresInDays?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: {
                                id: string;
                                name: string;
                                /** @description the first characters of the token, to tell tokens apart */
                                prefix: string;
                                orgId: string;
                                expiresAt: string | null;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description shown once */
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token; it stops working at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tokenId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @description the first characters of the token, to tell tokens apart */
                            prefix: string;
                            orgId: string;
                            expiresAt: string | null;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All users (operators) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    email?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                email: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identity-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Configured identity providers (operators) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                issuer: string;
                                clientId: string;
                                scopes: string[];
                                mapping: {
                                    domains: {
                                        domain: string;
                                        orgId: string;
                                        /** @enum {string} */
                                        role: "owner" | "admin" | "member";
                                    }[];
                                    claim: {
                                        name: string;
                                        values: {
                                            value: string;
                                            orgId: string;
                                            /** @enum {string} */
                                            role: "owner" | "admin" | "member";
                                        }[];
                                    } | null;
                                };
                                /** @description register this callback address with the provider */
                                redirectUri: string;
                                disabledAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Configure an OpenID Connect provider people may sign in with (operator admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description discovery at /.well-known/openid-configuration */
                        issuer: string;
                        clientId: string;
                        /** @description never shown again */
                        clientSecret: string;
                        scopes?: string[];
                        mapping: {
                            /** @description people whose verified e-mail has this domain join this organisation */
                            domains?: {
                                domain: string;
                                orgId: string;
                                /** @enum {string} */
                                role: "owner" | "admin" | "member";
                            }[];
                            claim?: {
                                /** @description an ID token claim, e.g. groups */
                                name: string;
                                values: {
                                    value: string;
                                    orgId: string;
                                    /** @enum {string} */
                                    role: "owner" | "admin" | "member";
                                }[];
                            } | null;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            issuer: string;
                            clientId: string;
                            scopes: string[];
                            mapping: {
                                domains: {
                                    domain: string;
                                    orgId: string;
                                    /** @enum {string} */
                                    role: "owner" | "admin" | "member";
                                }[];
                                claim: {
                                    name: string;
                                    values: {
                                        value: string;
                                        orgId: string;
                                        /** @enum {string} */
                                        role: "owner" | "admin" | "member";
                                    }[];
                                } | null;
                            };
                            /** @description register this callback address with the provider */
                            redirectUri: string;
                            disabledAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identity-providers/{providerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description idp_… */
                    providerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            issuer: string;
                            clientId: string;
                            scopes: string[];
                            mapping: {
                                domains: {
                                    domain: string;
                                    orgId: string;
                                    /** @enum {string} */
                                    role: "owner" | "admin" | "member";
                                }[];
                                claim: {
                                    name: string;
                                    values: {
                                        value: string;
                                        orgId: string;
                                        /** @enum {string} */
                                        role: "owner" | "admin" | "member";
                                    }[];
                                } | null;
                            };
                            /** @description register this callback address with the provider */
                            redirectUri: string;
                            disabledAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/identity-providers/{providerId}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop sign-ins through this provider (operator admins); open sessions run out */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description idp_… */
                    providerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            issuer: string;
                            clientId: string;
                            scopes: string[];
                            mapping: {
                                domains: {
                                    domain: string;
                                    orgId: string;
                                    /** @enum {string} */
                                    role: "owner" | "admin" | "member";
                                }[];
                                claim: {
                                    name: string;
                                    values: {
                                        value: string;
                                        orgId: string;
                                        /** @enum {string} */
                                        role: "owner" | "admin" | "member";
                                    }[];
                                } | null;
                            };
                            /** @description register this callback address with the provider */
                            redirectUri: string;
                            disabledAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/oidc/{providerId}/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sign in with an identity provider: redirects there (authorization code flow with PKCE) */
        get: {
            parameters: {
                query?: {
                    /** @description a path on this platform; anything else becomes / */
                    returnTo?: string;
                };
                header?: never;
                path: {
                    /** @description idp_… */
                    providerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/oidc/{providerId}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The provider's redirect back: checks state, exchanges the code, signs in and redirects */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    state?: string;
                    iss?: string;
                    error?: string;
                    error_description?: string;
                };
                header?: never;
                path: {
                    /** @description idp_… */
                    providerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The evidence ledger, newest first: operators and regulators see all, others their own organisation's */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    orgId?: string;
                    action?: string;
                    objectType?: string;
                    objectId?: string;
                    actorId?: string;
                    since?: string;
                    until?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                seq: number;
                                id: string;
                                /** Format: date-time */
                                at: string;
                                actorType: string;
                                actorId: string | null;
                                orgId: string | null;
                                action: string;
                                objectType: string;
                                objectId: string | null;
                                decision: string;
                                reason: string | null;
                                data: {
                                    [key: string]: unknown;
                                };
                                prevHash: string;
                                hash: string;
                            }[];
                            nextCursor: string | null;
                            names: {
                                /** @description by user id: the actors of the page */
                                people: {
                                    [key: string]: {
                                        name: string;
                                        /** @description the person's organisations that the reader may see */
                                        organisations: {
                                            id: string;
                                            name: string;
                                        }[];
                                    };
                                };
                                /** @description by organisation id: the names of the organisations the entries concern */
                                organisations: {
                                    [key: string]: string;
                                };
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recompute the whole hash chain and name the first broken entry (operators and regulators) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            /** @description entries checked and found sound */
                            count: number;
                            headSeq?: number;
                            headHash?: string;
                            /** @description the first sequence number that does not verify */
                            brokenSeq?: number;
                            problem?: string;
                            detail?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The platform's Ed25519 public key (JWK) that signs ledger exports */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalogue: APIs you may see, searchable by title, description, tags and operations */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    q?: string;
                    tag?: string;
                    category?: string;
                    orgId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the provider organisation */
                                orgId: string;
                                slug: string;
                                title: string;
                                description: string | null;
                                category: string | null;
                                tags: string[];
                                /**
                                 * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                                 * @enum {string}
                                 */
                                visibility: "public" | "private" | "orgs";
                                /** @description shown to the owner only */
                                allowedOrgIds?: string[];
                                /** @description shown to the owner only */
                                upstreamUrl?: string;
                                /** @description shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model) */
                                builtinUpstream?: string;
                                validateRequests: boolean;
                                currentVersion: {
                                    id: string;
                                    version: string;
                                    /** @enum {string} */
                                    specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                    /** @description the retirement its provider set; null: not deprecated */
                                    deprecation: {
                                        /** Format: date-time */
                                        deprecatedAt: string;
                                        /**
                                         * Format: date-time
                                         * @description from then the gateway answers 410 api-version-sunset
                                         */
                                        sunsetAt: string;
                                        link: string | null;
                                        successorApiId: string | null;
                                    } | null;
                                };
                                operationCount: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Publish an API from an OpenAPI document, given inline or by URL (providers) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Swagger 2.0, OpenAPI 3.0 or 3.1; give this or url */
                        document?: string | {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: uri
                         * @description an http(s) URL to fetch the document from (10 s, 20 MiB at most); give this or document
                         */
                        url?: string;
                        /** @description the address under /gw/{slug}/; default: from the title */
                        slug?: string;
                        /**
                         * Format: uri
                         * @description where the gateway forwards calls; default: the document's first server
                         */
                        upstreamUrl?: string;
                        /**
                         * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                         * @enum {string}
                         */
                        visibility?: "public" | "private" | "orgs";
                        allowedOrgIds?: string[];
                        category?: string | null;
                        tags?: string[];
                        /** @description check calls against the document at the gateway before forwarding */
                        validateRequests?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider organisation */
                            orgId: string;
                            slug: string;
                            title: string;
                            description: string | null;
                            category: string | null;
                            tags: string[];
                            /**
                             * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                             * @enum {string}
                             */
                            visibility: "public" | "private" | "orgs";
                            /** @description shown to the owner only */
                            allowedOrgIds?: string[];
                            /** @description shown to the owner only */
                            upstreamUrl?: string;
                            /** @description shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model) */
                            builtinUpstream?: string;
                            validateRequests: boolean;
                            currentVersion: {
                                id: string;
                                version: string;
                                /** @enum {string} */
                                specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                /** @description the retirement its provider set; null: not deprecated */
                                deprecation: {
                                    /** Format: date-time */
                                    deprecatedAt: string;
                                    /**
                                     * Format: date-time
                                     * @description from then the gateway answers 410 api-version-sunset
                                     */
                                    sunsetAt: string;
                                    link: string | null;
                                    successorApiId: string | null;
                                } | null;
                            };
                            operationCount: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        } & {
                            operations: {
                                method: string;
                                path: string;
                                operationId: string | null;
                                summary: string | null;
                                tags: string[];
                            }[];
                            securitySchemes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            servers: string[];
                            /** @description what the validator let through but should be fixed (duplicate or empty enums); shown to the owner only */
                            warnings?: {
                                /** @description a JSON pointer into the document (RFC 6901) */
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis/{apiId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One API with its operations, security schemes and servers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider organisation */
                            orgId: string;
                            slug: string;
                            title: string;
                            description: string | null;
                            category: string | null;
                            tags: string[];
                            /**
                             * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                             * @enum {string}
                             */
                            visibility: "public" | "private" | "orgs";
                            /** @description shown to the owner only */
                            allowedOrgIds?: string[];
                            /** @description shown to the owner only */
                            upstreamUrl?: string;
                            /** @description shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model) */
                            builtinUpstream?: string;
                            validateRequests: boolean;
                            currentVersion: {
                                id: string;
                                version: string;
                                /** @enum {string} */
                                specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                /** @description the retirement its provider set; null: not deprecated */
                                deprecation: {
                                    /** Format: date-time */
                                    deprecatedAt: string;
                                    /**
                                     * Format: date-time
                                     * @description from then the gateway answers 410 api-version-sunset
                                     */
                                    sunsetAt: string;
                                    link: string | null;
                                    successorApiId: string | null;
                                } | null;
                            };
                            operationCount: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        } & {
                            operations: {
                                method: string;
                                path: string;
                                operationId: string | null;
                                summary: string | null;
                                tags: string[];
                            }[];
                            securitySchemes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            servers: string[];
                            /** @description what the validator let through but should be fixed (duplicate or empty enums); shown to the owner only */
                            warnings?: {
                                /** @description a JSON pointer into the document (RFC 6901) */
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit an API's listing, visibility or upstream (its provider) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        description?: string | null;
                        /** Format: uri */
                        upstreamUrl?: string;
                        /**
                         * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                         * @enum {string}
                         */
                        visibility?: "public" | "private" | "orgs";
                        allowedOrgIds?: string[];
                        category?: string | null;
                        tags?: string[];
                        /** @description check calls against the document at the gateway before forwarding */
                        validateRequests?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider organisation */
                            orgId: string;
                            slug: string;
                            title: string;
                            description: string | null;
                            category: string | null;
                            tags: string[];
                            /**
                             * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                             * @enum {string}
                             */
                            visibility: "public" | "private" | "orgs";
                            /** @description shown to the owner only */
                            allowedOrgIds?: string[];
                            /** @description shown to the owner only */
                            upstreamUrl?: string;
                            /** @description shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model) */
                            builtinUpstream?: string;
                            validateRequests: boolean;
                            currentVersion: {
                                id: string;
                                version: string;
                                /** @enum {string} */
                                specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                /** @description the retirement its provider set; null: not deprecated */
                                deprecation: {
                                    /** Format: date-time */
                                    deprecatedAt: string;
                                    /**
                                     * Format: date-time
                                     * @description from then the gateway answers 410 api-version-sunset
                                     */
                                    sunsetAt: string;
                                    link: string | null;
                                    successorApiId: string | null;
                                } | null;
                            };
                            operationCount: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        } & {
                            operations: {
                                method: string;
                                path: string;
                                operationId: string | null;
                                summary: string | null;
                                tags: string[];
                            }[];
                            securitySchemes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            servers: string[];
                            /** @description what the validator let through but should be fixed (duplicate or empty enums); shown to the owner only */
                            warnings?: {
                                /** @description a JSON pointer into the document (RFC 6901) */
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/apis/{apiId}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of the document, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                version: string;
                                /** @enum {string} */
                                specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                /** @enum {string} */
                                sourceFormat: "json" | "yaml";
                                operationCount: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the retirement its provider set; null: not deprecated */
                                deprecation: {
                                    /** Format: date-time */
                                    deprecatedAt: string;
                                    /**
                                     * Format: date-time
                                     * @description from then the gateway answers 410 api-version-sunset
                                     */
                                    sunsetAt: string;
                                    link: string | null;
                                    successorApiId: string | null;
                                } | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Publish a new version of the document; plans and subscriptions stay (its provider) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Swagger 2.0, OpenAPI 3.0 or 3.1; give this or url */
                        document?: string | {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: uri
                         * @description an http(s) URL to fetch the document from (10 s, 20 MiB at most); give this or document
                         */
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider organisation */
                            orgId: string;
                            slug: string;
                            title: string;
                            description: string | null;
                            category: string | null;
                            tags: string[];
                            /**
                             * @description public: every organisation; private: yours only; orgs: yours and allowedOrgIds
                             * @enum {string}
                             */
                            visibility: "public" | "private" | "orgs";
                            /** @description shown to the owner only */
                            allowedOrgIds?: string[];
                            /** @description shown to the owner only */
                            upstreamUrl?: string;
                            /** @description shown to the owner only: the platform answers the calls itself (lab-model:{modelId}, a released Data Lab model) */
                            builtinUpstream?: string;
                            validateRequests: boolean;
                            currentVersion: {
                                id: string;
                                version: string;
                                /** @enum {string} */
                                specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                                /** @description the retirement its provider set; null: not deprecated */
                                deprecation: {
                                    /** Format: date-time */
                                    deprecatedAt: string;
                                    /**
                                     * Format: date-time
                                     * @description from then the gateway answers 410 api-version-sunset
                                     */
                                    sunsetAt: string;
                                    link: string | null;
                                    successorApiId: string | null;
                                } | null;
                            };
                            operationCount: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        } & {
                            operations: {
                                method: string;
                                path: string;
                                operationId: string | null;
                                summary: string | null;
                                tags: string[];
                            }[];
                            securitySchemes: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            servers: string[];
                            /** @description what the validator let through but should be fixed (duplicate or empty enums); shown to the owner only */
                            warnings?: {
                                /** @description a JSON pointer into the document (RFC 6901) */
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis/{apiId}/versions/{versionId}/deprecation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Deprecate a version: calls carry Deprecation, Sunset and Link headers, and 410 after the sunset; the organisations that called it in the last 30 days are told (its provider) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                    /** @description a version id (apv_…) */
                    versionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description deprecated from then; default now
                         */
                        deprecatedAt?: string;
                        /**
                         * Format: date-time
                         * @description from then the gateway answers 410; in the future, not before deprecatedAt
                         */
                        sunsetAt: string;
                        link?: string | null;
                        successorApiId?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            version: string;
                            /** @enum {string} */
                            specFormat: "swagger-2.0" | "openapi-3.0" | "openapi-3.1";
                            /** @enum {string} */
                            sourceFormat: "json" | "yaml";
                            operationCount: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the retirement its provider set; null: not deprecated */
                            deprecation: {
                                /** Format: date-time */
                                deprecatedAt: string;
                                /**
                                 * Format: date-time
                                 * @description from then the gateway answers 410 api-version-sunset
                                 */
                                sunsetAt: string;
                                link: string | null;
                                successorApiId: string | null;
                            } | null;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis/{apiId}/openapi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The document as it was uploaded (JSON or YAML), of the current or a named version */
        get: {
            parameters: {
                query?: {
                    /** @description a version id (apv_…) */
                    versionId?: string;
                };
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis/{apiId}/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                apiId: string;
                                orgId: string;
                                name: string;
                                description: string | null;
                                rateLimitPerSecond: number;
                                burst: number;
                                monthlyQuota: number | null;
                                requiresApproval: boolean;
                                includedTags: string[];
                                includedPaths: string[];
                                archivedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a plan to your API: rate limit, monthly quota, approval, included operations */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string;
                        rateLimitPerSecond: number;
                        burst: number;
                        monthlyQuota?: number | null;
                        requiresApproval?: boolean;
                        includedTags?: string[];
                        includedPaths?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            orgId: string;
                            name: string;
                            description: string | null;
                            rateLimitPerSecond: number;
                            burst: number;
                            monthlyQuota: number | null;
                            requiresApproval: boolean;
                            includedTags: string[];
                            includedPaths: string[];
                            archivedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            orgId: string;
                            name: string;
                            description: string | null;
                            rateLimitPerSecond: number;
                            burst: number;
                            monthlyQuota: number | null;
                            requiresApproval: boolean;
                            includedTags: string[];
                            includedPaths: string[];
                            archivedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Archive a plan: no new subscriptions; existing ones keep it */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    planId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            orgId: string;
                            name: string;
                            description: string | null;
                            rateLimitPerSecond: number;
                            burst: number;
                            monthlyQuota: number | null;
                            requiresApproval: boolean;
                            includedTags: string[];
                            includedPaths: string[];
                            archivedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a plan; active subscriptions get the new limits at once */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    planId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string;
                        rateLimitPerSecond?: number;
                        burst?: number;
                        monthlyQuota?: number | null;
                        requiresApproval?: boolean;
                        includedTags?: string[];
                        includedPaths?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            orgId: string;
                            name: string;
                            description: string | null;
                            rateLimitPerSecond: number;
                            burst: number;
                            monthlyQuota: number | null;
                            requiresApproval: boolean;
                            includedTags: string[];
                            includedPaths: string[];
                            archivedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Subscriptions of your organisation, as consumer or as provider */
        get: {
            parameters: {
                query?: {
                    as?: "consumer" | "provider";
                    state?: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                    apiId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                apiId: string;
                                planId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                /** @enum {string} */
                                state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                                reason: string | null;
                                /** @description when access ends (null: until revoked) */
                                endsAt: string | null;
                                /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                                pendingPlanId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Subscribe your organisation to a plan (pending when the plan needs the provider's approval) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        planId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a subscription */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                        /**
                         * Format: date-time
                         * @description when access ends; the gateway refuses calls after it
                         */
                        endsAt?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a subscription (reason required) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend a subscription (reason required) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a subscription */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a subscription */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/plan-change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move your active subscription to another plan of the API: at once, or waiting for the provider's approval when that plan needs it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        planId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/plan-change/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a plan change waiting on your API */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{subscriptionId}/plan-change/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject (reason required) a plan change waiting on your API */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    subscriptionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            apiId: string;
                            planId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            state: "pending" | "active" | "suspended" | "revoked" | "rejected" | "expired";
                            reason: string | null;
                            /** @description when access ends (null: until revoked) */
                            endsAt: string | null;
                            /** @description a plan the consumer asked to move to, waiting for the provider's approval */
                            pendingPlanId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description for an OAuth2 client, this is its client_id */
                                id: string;
                                orgId: string;
                                /** @enum {string} */
                                kind: "api-key" | "oauth-client";
                                name: string;
                                prefix: string;
                                previousValidUntil: string | null;
                                /** @description when it stops working (null: until revoked) */
                                expiresAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API key or OAuth2 client for your organisation; the secret is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "api-key" | "oauth-client";
                        /**
                         * Format: date-time
                         * @description when it stops working (default: until revoked)
                         */
                        expiresAt?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            credential: {
                                /** @description for an OAuth2 client, this is its client_id */
                                id: string;
                                orgId: string;
                                /** @enum {string} */
                                kind: "api-key" | "oauth-client";
                                name: string;
                                prefix: string;
                                previousValidUntil: string | null;
                                /** @description when it stops working (null: until revoked) */
                                expiresAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description shown once */
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credentials/{credentialId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new secret; the old one keeps working for graceSeconds */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    credentialId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 86400 */
                        graceSeconds: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            credential: {
                                /** @description for an OAuth2 client, this is its client_id */
                                id: string;
                                orgId: string;
                                /** @enum {string} */
                                kind: "api-key" | "oauth-client";
                                name: string;
                                prefix: string;
                                previousValidUntil: string | null;
                                /** @description when it stops working (null: until revoked) */
                                expiresAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description shown once */
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credentials/{credentialId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a credential; the gateway refuses it within a second */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    credentialId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description for an OAuth2 client, this is its client_id */
                            id: string;
                            orgId: string;
                            /** @enum {string} */
                            kind: "api-key" | "oauth-client";
                            name: string;
                            prefix: string;
                            previousValidUntil: string | null;
                            /** @description when it stops working (null: until revoked) */
                            expiresAt: string | null;
                            revokedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys that sign access tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Authorization server metadata (RFC 8414): where to get tokens and the keys that sign them */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the token signing key (operators) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            kid: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gateway usage per subscription and minute, hour or day: your calls as a consumer, calls to your APIs as a provider */
        get: {
            parameters: {
                query: {
                    apiId?: string;
                    subscriptionId?: string;
                    /** @description inclusive; default depends on granularity */
                    from?: string;
                    /** @description exclusive; default now */
                    to?: string;
                    /** @description default hour */
                    granularity?: "minute" | "hour" | "day";
                    limit: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                subscriptionId: string;
                                apiId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                /** Format: date-time */
                                period: string;
                                calls: number;
                                status2xx: number;
                                status3xx: number;
                                status4xx: number;
                                status5xx: number;
                                /** @description calls refused with 429 rate-limited */
                                rateLimited: number;
                                bytesIn: number;
                                bytesOut: number;
                                latencyAvgMs: number | null;
                                /** @description estimated from the latency histogram */
                                latencyP50Ms: number | null;
                                /** @description estimated from the latency histogram */
                                latencyP95Ms: number | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage/calls/{requestId}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prove one gateway call is in the record: the call, its batch's Merkle root, the ledger entry holding it, and the inclusion path */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            call: {
                                requestId: string;
                                subscriptionId: string;
                                apiId: string;
                                orgId: string;
                                providerOrgId: string;
                                method: string;
                                path: string;
                                status: number;
                                bytesIn: number;
                                bytesOut: number;
                                latencyMs: number;
                                at: string;
                                rateLimited: boolean;
                            };
                            batchId: string;
                            merkleRoot: string;
                            ledgerSeq: number;
                            proof: {
                                index: number;
                                size: number;
                                path: string[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the dataset catalogue: published datasets and your own drafts */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    q?: string;
                    orgId?: string;
                    theme?: string;
                    open?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                orgId: string;
                                /** @description the name to use in SQL */
                                slug: string;
                                title: string;
                                description: string | null;
                                licence: string;
                                keywords: string[];
                                themes: string[];
                                updateFrequency: string | null;
                                spatial: string[];
                                temporalStart: string | null;
                                temporalEnd: string | null;
                                /** @enum {string} */
                                status: "draft" | "published";
                                consentRequired: boolean;
                                kThreshold: number;
                                subjectColumn: string | null;
                                /** @description set on datasets imported from a harvest source; those have no versions to query */
                                origin: {
                                    /** @description the harvest source (hvs_…) */
                                    sourceId: string;
                                    /** @description the record's identifier at the source */
                                    originalId: string;
                                    /** @description when a run last read it */
                                    fetchedAt: string;
                                    landingPage: string | null;
                                    publisher: string | null;
                                    hash: string;
                                } | null;
                                /** @description a harvested dataset's files and services at its source */
                                resources: {
                                    name: string;
                                    format: string | null;
                                    url: string;
                                    mediaType: string | null;
                                }[];
                                /** @description title and description in other languages, by language tag */
                                translations: {
                                    [key: string]: {
                                        title?: string;
                                        description?: string;
                                    };
                                };
                                /** @description open licence, published, confirmed, no personal columns */
                                isOpen: boolean;
                                currentVersion: {
                                    id: string;
                                    version: number;
                                    /** @enum {string} */
                                    sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                    sourceName: string;
                                    sourceBytes: number;
                                    sourceSha256: string;
                                    rowCount: number;
                                    columns: {
                                        name: string;
                                        type: string;
                                        /** @enum {string} */
                                        suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                        /** @description why, in English (each explanation’s en) */
                                        reasons: string[];
                                        /** @description why, rule by rule, in English and Chinese */
                                        explanations: {
                                            /** @description the rule that matched (see docs/classification.md) */
                                            rule: string;
                                            /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                            share: number | null;
                                            en: string;
                                            "zh-HK": string;
                                        }[];
                                        classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                        /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                        quasiIdentifier: boolean;
                                        description: string | null;
                                        statistics: {
                                            nullCount: number;
                                            distinctApprox: number;
                                            min: string | null;
                                            max: string | null;
                                            mean: number | null;
                                        };
                                    }[];
                                    confirmedAt: string | null;
                                    /** Format: date-time */
                                    createdAt: string;
                                    /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                    risk: {
                                        rows: number;
                                        quasiIdentifiers: string[];
                                        /** @description rows alone in their equivalence class */
                                        uniqueRows: number;
                                        uniqueShare: number;
                                        /** @description the smallest equivalence class */
                                        k: number | null;
                                        classes: number;
                                    } | null;
                                } | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a dataset (a draft until its first version is uploaded, confirmed and published) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        /** @description its name in SQL; default from the title */
                        slug?: string;
                        description?: string | null;
                        /** @description an SPDX id (CC-BY-4.0, CC0-1.0, ODbL-1.0 … are open) or a name such as "proprietary" */
                        licence: string;
                        keywords?: string[];
                        /** @description e.g. economy, health, environment, transport */
                        themes?: string[];
                        /** @description e.g. daily, monthly, annual, irregular */
                        updateFrequency?: string | null;
                        /** @description Hong Kong districts covered, or hong-kong */
                        spatial?: string[];
                        temporalStart?: string | null;
                        temporalEnd?: string | null;
                        /** @description other organisations see only rows whose subject has a live consent for their purpose (see /v1/consents) */
                        consentRequired?: boolean;
                        /** @description the column holding the subject key; required with consentRequired */
                        subjectColumn?: string | null;
                        /** @description the smallest group of rows sharing the same quasi-identifiers (k) you accept in a release; approving an agreement that gives less warns (default 5) */
                        kThreshold?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a dataset's metadata */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        description?: string | null;
                        /** @description an SPDX id (CC-BY-4.0, CC0-1.0, ODbL-1.0 … are open) or a name such as "proprietary" */
                        licence?: string;
                        keywords?: string[];
                        /** @description e.g. economy, health, environment, transport */
                        themes?: string[];
                        /** @description e.g. daily, monthly, annual, irregular */
                        updateFrequency?: string | null;
                        /** @description Hong Kong districts covered, or hong-kong */
                        spatial?: string[];
                        temporalStart?: string | null;
                        temporalEnd?: string | null;
                        /** @description other organisations see only rows whose subject has a live consent for their purpose (see /v1/consents) */
                        consentRequired?: boolean;
                        /** @description the column holding the subject key; required with consentRequired */
                        subjectColumn?: string | null;
                        /** @description the smallest group of rows sharing the same quasi-identifiers (k) you accept in a release; approving an agreement that gives less warns (default 5) */
                        kThreshold?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/datasets/{datasetId}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Upload a new version as multipart/form-data: a `file` part (CSV, TSV, Parquet or JSON Lines), optionally preceded by a `format` field. Converted to Parquet; columns profiled and classified. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/classifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Confirm the current version's column classifications (columns not named keep the suggestion) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        columns: {
                            [key: string]: "public" | "internal" | "personal" | "sensitive" | "identifier";
                        };
                        descriptions?: {
                            [key: string]: string;
                        };
                        /** @description columns to count (true) or not (false) among the quasi-identifiers: birth date, sex, postcode, district and whatever else someone could know about a person */
                        quasiIdentifiers?: {
                            [key: string]: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a dataset to the catalogue (its classifications must be confirmed; under an open licence, no column may be personal, sensitive or an identifier) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            /** @description the name to use in SQL */
                            slug: string;
                            title: string;
                            description: string | null;
                            licence: string;
                            keywords: string[];
                            themes: string[];
                            updateFrequency: string | null;
                            spatial: string[];
                            temporalStart: string | null;
                            temporalEnd: string | null;
                            /** @enum {string} */
                            status: "draft" | "published";
                            consentRequired: boolean;
                            kThreshold: number;
                            subjectColumn: string | null;
                            /** @description set on datasets imported from a harvest source; those have no versions to query */
                            origin: {
                                /** @description the harvest source (hvs_…) */
                                sourceId: string;
                                /** @description the record's identifier at the source */
                                originalId: string;
                                /** @description when a run last read it */
                                fetchedAt: string;
                                landingPage: string | null;
                                publisher: string | null;
                                hash: string;
                            } | null;
                            /** @description a harvested dataset's files and services at its source */
                            resources: {
                                name: string;
                                format: string | null;
                                url: string;
                                mediaType: string | null;
                            }[];
                            /** @description title and description in other languages, by language tag */
                            translations: {
                                [key: string]: {
                                    title?: string;
                                    description?: string;
                                };
                            };
                            /** @description open licence, published, confirmed, no personal columns */
                            isOpen: boolean;
                            currentVersion: {
                                id: string;
                                version: number;
                                /** @enum {string} */
                                sourceFormat: "csv" | "tsv" | "parquet" | "jsonl";
                                sourceName: string;
                                sourceBytes: number;
                                sourceSha256: string;
                                rowCount: number;
                                columns: {
                                    name: string;
                                    type: string;
                                    /** @enum {string} */
                                    suggested: "public" | "internal" | "personal" | "sensitive" | "identifier";
                                    /** @description why, in English (each explanation’s en) */
                                    reasons: string[];
                                    /** @description why, rule by rule, in English and Chinese */
                                    explanations: {
                                        /** @description the rule that matched (see docs/classification.md) */
                                        rule: string;
                                        /** @description share of sampled values that matched (0–1); null for a rule on the name */
                                        share: number | null;
                                        en: string;
                                        "zh-HK": string;
                                    }[];
                                    classification: ("public" | "internal" | "personal" | "sensitive" | "identifier") | null;
                                    /** @description counted among the quasi-identifiers on which re-identification risk is measured */
                                    quasiIdentifier: boolean;
                                    description: string | null;
                                    statistics: {
                                        nullCount: number;
                                        distinctApprox: number;
                                        min: string | null;
                                        max: string | null;
                                        mean: number | null;
                                    };
                                }[];
                                confirmedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the owner only: rows unique on the quasi-identifiers and the smallest class k, when a column is personal, sensitive or an identifier */
                                risk: {
                                    rows: number;
                                    quasiIdentifiers: string[];
                                    /** @description rows alone in their equivalence class */
                                    uniqueRows: number;
                                    uniqueShare: number;
                                    /** @description the smallest equivalence class */
                                    k: number | null;
                                    classes: number;
                                } | null;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description the dataset's DCAT-AP 3 record, checked against the profile's shapes */
                            dcatAp: {
                                conforms: boolean;
                                /** @description DCAT-AP 3 recommendations the record does not meet (they do not block) */
                                warnings: {
                                    /** @description the node of the record (dataset, distribution, contact point…) */
                                    focusNode: string;
                                    /** @description the property */
                                    path: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/risk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Re-identification risk of the current version (owner): the share of rows unique on the quasi-identifiers, the smallest equivalence class k, and masks that would raise it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a dataset id (ds_…) */
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            datasetId: string;
                            versionId: string | null;
                            /** @description personal, sensitive and identifier columns (risk is measured only with some) */
                            restrictedColumns: string[];
                            risk: {
                                rows: number;
                                quasiIdentifiers: string[];
                                /** @description rows alone in their equivalence class */
                                uniqueRows: number;
                                uniqueShare: number;
                                /** @description the smallest equivalence class */
                                k: number | null;
                                classes: number;
                                /** @description the dataset's kThreshold */
                                threshold: number;
                                isBelowThreshold: boolean;
                                /** @description masks, applied in order, that raise k to the threshold */
                                masks: {
                                    column: string;
                                    mask: {
                                        /** @enum {string} */
                                        kind: "truncate-date";
                                        /** @enum {string} */
                                        unit: "year" | "month";
                                    } | {
                                        /** @enum {string} */
                                        kind: "band";
                                        width: number;
                                    } | {
                                        /** @enum {string} */
                                        kind: "redact";
                                    };
                                    /** @description k once this mask and those before it apply */
                                    k: number | null;
                                    uniqueShare: number;
                                }[];
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agreements/terms-schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of agreement terms (ODRL-inspired): what every agreement document follows */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests your organisation made (consumer) or received (provider) */
        get: {
            parameters: {
                query?: {
                    /** @description your side; default both */
                    as?: "consumer" | "provider";
                    state?: "pending" | "approved" | "rejected" | "withdrawn";
                    datasetId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                datasetId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                /** @enum {string} */
                                purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                                purposeText: string;
                                columns: string[];
                                durationDays: number;
                                wantsDownload: boolean;
                                /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                                labId: string | null;
                                /** @enum {string} */
                                state: "pending" | "approved" | "rejected" | "withdrawn";
                                reason: string | null;
                                agreementId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Ask a provider for access to a dataset: purpose, columns, duration, download or not */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        datasetId: string;
                        /** @enum {string} */
                        purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                        /** @description what you will do, in words */
                        purposeText: string;
                        columns: string[];
                        durationDays: number;
                        wantsDownload?: boolean;
                        /** @description a lab the dataset is attached to: approval also gives your organisation a seat in it */
                        labId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            purposeText: string;
                            columns: string[];
                            durationDays: number;
                            wantsDownload: boolean;
                            /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                            labId: string | null;
                            /** @enum {string} */
                            state: "pending" | "approved" | "rejected" | "withdrawn";
                            reason: string | null;
                            agreementId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an access request id (arq_…) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            purposeText: string;
                            columns: string[];
                            durationDays: number;
                            wantsDownload: boolean;
                            /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                            labId: string | null;
                            /** @enum {string} */
                            state: "pending" | "approved" | "rejected" | "withdrawn";
                            reason: string | null;
                            agreementId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests/{requestId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a request (provider), optionally with narrower terms: masks, row filter, limits, regions, an earlier expiry, fewer columns, or a terms template; with no terms, the dataset's default template applies. Creates the agreement. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an access request id (arq_…) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actions?: ("query" | "download")[];
                        /** Format: date-time */
                        expiresAt?: string;
                        columns?: string[];
                        masks?: {
                            [key: string]: {
                                /** @enum {string} */
                                kind: "hash";
                            } | {
                                /** @enum {string} */
                                kind: "redact";
                            } | {
                                /** @enum {string} */
                                kind: "truncate-date";
                                /** @enum {string} */
                                unit: "year" | "month";
                            } | {
                                /** @enum {string} */
                                kind: "band";
                                width: number;
                            } | {
                                /** @enum {string} */
                                kind: "keep-last";
                                n: number;
                            };
                        };
                        /** @description every condition must hold for a row to be visible (AND) */
                        rowFilter?: {
                            column: string;
                            /** @enum {string} */
                            op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "is-null" | "is-not-null";
                            value?: string | number | boolean;
                            values?: (string | number | boolean)[];
                        }[];
                        /** @description only aggregate results: one dataset, plain columns and aggregates, rewritten by the platform (docs/governed-queries.md) */
                        aggregateOnly?: boolean;
                        /** @description with aggregateOnly: groups of fewer distinct subjects (the dataset's subject column, else rows) are left out */
                        minGroupSize?: number | null;
                        /** @description with aggregateOnly: every aggregate released with differential-privacy noise within an ε budget (docs/differential-privacy.md); null or absent: exact aggregates */
                        noise?: {
                            /** @description ε one query spends unless the caller asks for another (at least minEpsilon) */
                            epsilon: number;
                            /** @description the least ε one query may spend (the owner's floor, at least 0.0001) */
                            minEpsilon: number;
                            /** @description the total ε each budget holder may spend under this grant */
                            epsilonBudget: number;
                            /**
                             * @description analyst (default): each of the consumer’s users has the budget; organisation: they share one
                             * @enum {string}
                             */
                            budgetScope?: "analyst" | "organisation";
                            /** @description L: rows one subject contributes (default 5) */
                            maxRowsPerSubject?: number;
                            /** @description G: groups one subject is counted in (default 1) */
                            maxGroupsPerSubject?: number;
                            /** @description numeric columns that sum and avg may read, with their clamping bounds */
                            measures: {
                                [key: string]: {
                                    lower: number;
                                    upper: number;
                                };
                            };
                        } | null;
                        /** @description null: unlimited */
                        maxQueries?: number | null;
                        maxRowsPerQuery?: number;
                        /** @description the verified locations the consumer's organisation may access from */
                        regions?: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere")[];
                        /** @description null: follow the latest version */
                        pinnedVersionId?: string | null;
                        duties?: ("attribution" | "delete-on-expiry")[];
                        prohibitions?: ("re-identification" | "onward-transfer")[];
                        /** @description the slug of one of your terms templates to start from; without it and without other terms, the dataset's default template (if any) */
                        template?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            request: {
                                id: string;
                                datasetId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                /** @enum {string} */
                                purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                                purposeText: string;
                                columns: string[];
                                durationDays: number;
                                wantsDownload: boolean;
                                /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                                labId: string | null;
                                /** @enum {string} */
                                state: "pending" | "approved" | "rejected" | "withdrawn";
                                reason: string | null;
                                agreementId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            agreement: {
                                id: string;
                                datasetId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                requestId: string | null;
                                /** @enum {string} */
                                state: "active" | "expired" | "revoked";
                                terms: components["schemas"]["agreement-terms"];
                                queriesUsed: number;
                                revokedAt: string | null;
                                revokeReason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description the slug of the terms template the terms started from; null when none */
                            template: string | null;
                            /** @description rows unique on the released quasi-identifiers and the smallest class k, with the masks applied; null when the release has no quasi-identifier or the dataset nothing about people */
                            risk: {
                                rows: number;
                                quasiIdentifiers: string[];
                                /** @description rows alone in their equivalence class */
                                uniqueRows: number;
                                uniqueShare: number;
                                /** @description the smallest equivalence class */
                                k: number | null;
                                classes: number;
                                /** @description the dataset's kThreshold */
                                threshold: number;
                                isBelowThreshold: boolean;
                                /** @description masks, applied in order, that raise k to the threshold */
                                masks: {
                                    column: string;
                                    mask: {
                                        /** @enum {string} */
                                        kind: "truncate-date";
                                        /** @enum {string} */
                                        unit: "year" | "month";
                                    } | {
                                        /** @enum {string} */
                                        kind: "band";
                                        width: number;
                                    } | {
                                        /** @enum {string} */
                                        kind: "redact";
                                    };
                                    /** @description k once this mask and those before it apply */
                                    k: number | null;
                                    uniqueShare: number;
                                }[];
                            } | null;
                            /** @description set when k is below the dataset's kThreshold: the figure and the masks that would raise it */
                            warning: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests/{requestId}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Preview an approval (provider): the terms these overrides would grant and the re-identification risk of what they release, with the masks that would raise k. Nothing is written. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an access request id (arq_…) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actions?: ("query" | "download")[];
                        /** Format: date-time */
                        expiresAt?: string;
                        columns?: string[];
                        masks?: {
                            [key: string]: {
                                /** @enum {string} */
                                kind: "hash";
                            } | {
                                /** @enum {string} */
                                kind: "redact";
                            } | {
                                /** @enum {string} */
                                kind: "truncate-date";
                                /** @enum {string} */
                                unit: "year" | "month";
                            } | {
                                /** @enum {string} */
                                kind: "band";
                                width: number;
                            } | {
                                /** @enum {string} */
                                kind: "keep-last";
                                n: number;
                            };
                        };
                        /** @description every condition must hold for a row to be visible (AND) */
                        rowFilter?: {
                            column: string;
                            /** @enum {string} */
                            op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "is-null" | "is-not-null";
                            value?: string | number | boolean;
                            values?: (string | number | boolean)[];
                        }[];
                        /** @description only aggregate results: one dataset, plain columns and aggregates, rewritten by the platform (docs/governed-queries.md) */
                        aggregateOnly?: boolean;
                        /** @description with aggregateOnly: groups of fewer distinct subjects (the dataset's subject column, else rows) are left out */
                        minGroupSize?: number | null;
                        /** @description with aggregateOnly: every aggregate released with differential-privacy noise within an ε budget (docs/differential-privacy.md); null or absent: exact aggregates */
                        noise?: {
                            /** @description ε one query spends unless the caller asks for another (at least minEpsilon) */
                            epsilon: number;
                            /** @description the least ε one query may spend (the owner's floor, at least 0.0001) */
                            minEpsilon: number;
                            /** @description the total ε each budget holder may spend under this grant */
                            epsilonBudget: number;
                            /**
                             * @description analyst (default): each of the consumer’s users has the budget; organisation: they share one
                             * @enum {string}
                             */
                            budgetScope?: "analyst" | "organisation";
                            /** @description L: rows one subject contributes (default 5) */
                            maxRowsPerSubject?: number;
                            /** @description G: groups one subject is counted in (default 1) */
                            maxGroupsPerSubject?: number;
                            /** @description numeric columns that sum and avg may read, with their clamping bounds */
                            measures: {
                                [key: string]: {
                                    lower: number;
                                    upper: number;
                                };
                            };
                        } | null;
                        /** @description null: unlimited */
                        maxQueries?: number | null;
                        maxRowsPerQuery?: number;
                        /** @description the verified locations the consumer's organisation may access from */
                        regions?: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere")[];
                        /** @description null: follow the latest version */
                        pinnedVersionId?: string | null;
                        duties?: ("attribution" | "delete-on-expiry")[];
                        prohibitions?: ("re-identification" | "onward-transfer")[];
                        /** @description the slug of one of your terms templates to start from; without it and without other terms, the dataset's default template (if any) */
                        template?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            terms: components["schemas"]["agreement-terms"];
                            /** @description the slug of the terms template the terms started from; null when none */
                            template: string | null;
                            /** @description rows unique on the released quasi-identifiers and the smallest class k, with the masks applied; null when the release has no quasi-identifier or the dataset nothing about people */
                            risk: {
                                rows: number;
                                quasiIdentifiers: string[];
                                /** @description rows alone in their equivalence class */
                                uniqueRows: number;
                                uniqueShare: number;
                                /** @description the smallest equivalence class */
                                k: number | null;
                                classes: number;
                                /** @description the dataset's kThreshold */
                                threshold: number;
                                isBelowThreshold: boolean;
                                /** @description masks, applied in order, that raise k to the threshold */
                                masks: {
                                    column: string;
                                    mask: {
                                        /** @enum {string} */
                                        kind: "truncate-date";
                                        /** @enum {string} */
                                        unit: "year" | "month";
                                    } | {
                                        /** @enum {string} */
                                        kind: "band";
                                        width: number;
                                    } | {
                                        /** @enum {string} */
                                        kind: "redact";
                                    };
                                    /** @description k once this mask and those before it apply */
                                    k: number | null;
                                    uniqueShare: number;
                                }[];
                            } | null;
                            /** @description set when k is below the dataset's kThreshold: the figure and the masks that would raise it */
                            warning: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests/{requestId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a request with a reason (provider) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an access request id (arq_…) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            purposeText: string;
                            columns: string[];
                            durationDays: number;
                            wantsDownload: boolean;
                            /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                            labId: string | null;
                            /** @enum {string} */
                            state: "pending" | "approved" | "rejected" | "withdrawn";
                            reason: string | null;
                            agreementId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/access-requests/{requestId}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw your pending request (consumer) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an access request id (arq_…) */
                    requestId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            purposeText: string;
                            columns: string[];
                            durationDays: number;
                            wantsDownload: boolean;
                            /** @description the lab whose seat approval gives (the dataset is attached to it); null for none */
                            labId: string | null;
                            /** @enum {string} */
                            state: "pending" | "approved" | "rejected" | "withdrawn";
                            reason: string | null;
                            agreementId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agreements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Agreements your organisation holds (consumer) or granted (provider) */
        get: {
            parameters: {
                query?: {
                    /** @description your side; default both */
                    as?: "consumer" | "provider";
                    state?: "active" | "expired" | "revoked";
                    datasetId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                datasetId: string;
                                /** @description the consumer organisation */
                                orgId: string;
                                providerOrgId: string;
                                requestId: string | null;
                                /** @enum {string} */
                                state: "active" | "expired" | "revoked";
                                terms: components["schemas"]["agreement-terms"];
                                queriesUsed: number;
                                revokedAt: string | null;
                                revokeReason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agreements/{agreementId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an agreement id (agr_…) */
                    agreementId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            requestId: string | null;
                            /** @enum {string} */
                            state: "active" | "expired" | "revoked";
                            terms: components["schemas"]["agreement-terms"];
                            queriesUsed: number;
                            revokedAt: string | null;
                            revokeReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agreements/{agreementId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an agreement (either side); the next query is refused */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an agreement id (agr_…) */
                    agreementId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            datasetId: string;
                            /** @description the consumer organisation */
                            orgId: string;
                            providerOrgId: string;
                            requestId: string | null;
                            /** @enum {string} */
                            state: "active" | "expired" | "revoked";
                            terms: components["schemas"]["agreement-terms"];
                            queriesUsed: number;
                            revokedAt: string | null;
                            revokeReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/terms-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's terms templates, and the datasets each is the default of: the terms an approval starts from */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                orgId: string;
                                slug: string;
                                description: string | null;
                                /** @description an approval's terms (schema: /v1/agreements/terms-schema) without expiresAt, pinnedVersionId and noise */
                                terms: {
                                    actions?: ("query" | "download")[];
                                    columns?: string[];
                                    masks?: {
                                        [key: string]: {
                                            /** @enum {string} */
                                            kind: "hash";
                                        } | {
                                            /** @enum {string} */
                                            kind: "redact";
                                        } | {
                                            /** @enum {string} */
                                            kind: "truncate-date";
                                            /** @enum {string} */
                                            unit: "year" | "month";
                                        } | {
                                            /** @enum {string} */
                                            kind: "band";
                                            width: number;
                                        } | {
                                            /** @enum {string} */
                                            kind: "keep-last";
                                            n: number;
                                        };
                                    };
                                    /** @description every condition must hold for a row to be visible (AND) */
                                    rowFilter?: {
                                        column: string;
                                        /** @enum {string} */
                                        op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "is-null" | "is-not-null";
                                        value?: string | number | boolean;
                                        values?: (string | number | boolean)[];
                                    }[];
                                    /** @description only aggregate results: one dataset, plain columns and aggregates, rewritten by the platform (docs/governed-queries.md) */
                                    aggregateOnly?: boolean;
                                    /** @description with aggregateOnly: groups of fewer distinct subjects (the dataset's subject column, else rows) are left out */
                                    minGroupSize?: number | null;
                                    /** @description null: unlimited */
                                    maxQueries?: number | null;
                                    maxRowsPerQuery?: number;
                                    /** @description the verified locations the consumer's organisation may access from */
                                    regions?: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere")[];
                                    duties?: ("attribution" | "delete-on-expiry")[];
                                    prohibitions?: ("re-identification" | "onward-transfer")[];
                                    /** @description the longest an agreement under the template runs; a shorter request keeps its own */
                                    durationDays?: number;
                                };
                                /** @description the datasets approved with it by default */
                                datasetIds: string[];
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run one SELECT over the datasets you may read (GET /v1/query/tables). Masks, row filters and limits of your agreements apply; every query is recorded in the ledger. CSV with format=csv or Accept: text/csv; Parquet with format=parquet. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sql: string;
                        /** @enum {string} */
                        format?: "json" | "csv" | "parquet";
                        maxRows?: number;
                        /** @description ε to spend on an aggregate-only grant with noise (at least the owner's floor; default the grant's own) */
                        epsilon?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the id under which the ledger records this query */
                            queryId: string;
                            columns: {
                                name: string;
                                type: string;
                            }[];
                            rows: unknown[][];
                            rowCount: number;
                            /** @description more rows existed than the row cap allowed */
                            truncated: boolean;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                                agreementId: string | null;
                            }[];
                            /** @description present when the grant adds differential-privacy noise: every aggregate is noisy, small groups are left out unsaid */
                            noise?: {
                                /** @description the ε this query spent */
                                epsilon: number;
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys */
                                intervals: (number | null)[][];
                                /** @description Laplace scale b = sensitivity / ε per released aggregate */
                                noiseScales: {
                                    [key: string]: number;
                                };
                                budget: {
                                    /** @enum {string} */
                                    scope: "analyst" | "organisation";
                                    total: number;
                                    spent: number;
                                    remaining: number;
                                };
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/query/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The datasets you may query now: your own, open ones and those of your agreements, with masks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description write this in FROM */
                                name: string;
                                datasetId: string;
                                versionId: string;
                                /** @enum {string} */
                                via: "agreement" | "owner" | "open";
                                agreementId: string | null;
                                aggregateOnly: boolean;
                                columns: {
                                    name: string;
                                    type: string;
                                    mask: string | null;
                                }[];
                                blockedBy: string | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/sample": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Twenty rows as your grant shows them (masked and filtered); recorded like a query */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the id under which the ledger records this query */
                            queryId: string;
                            columns: {
                                name: string;
                                type: string;
                            }[];
                            rows: unknown[][];
                            rowCount: number;
                            /** @description more rows existed than the row cap allowed */
                            truncated: boolean;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                                agreementId: string | null;
                            }[];
                            /** @description present when the grant adds differential-privacy noise: every aggregate is noisy, small groups are left out unsaid */
                            noise?: {
                                /** @description the ε this query spent */
                                epsilon: number;
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys */
                                intervals: (number | null)[][];
                                /** @description Laplace scale b = sensitivity / ε per released aggregate */
                                noiseScales: {
                                    [key: string]: number;
                                };
                                budget: {
                                    /** @enum {string} */
                                    scope: "analyst" | "organisation";
                                    total: number;
                                    spent: number;
                                    remaining: number;
                                };
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the dataset as your agreement allows it (masked, filtered); needs the download action */
        get: {
            parameters: {
                query: {
                    format: "csv" | "parquet";
                };
                header?: never;
                path: {
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the owner organisation */
                                orgId: string;
                                name: string;
                                description: string | null;
                                /** @description k: groups with fewer subjects are suppressed */
                                minGroupSize: number;
                                /** @description ε each budget holder (see budgetScope) may spend in this lab */
                                epsilonBudget: number;
                                defaultEpsilon: number;
                                /** @description the least ε a query may spend */
                                minEpsilon: number;
                                /** @description contribution bound L: rows per subject and query */
                                maxRowsPerSubject: number;
                                /** @description contribution bound G: groups per subject and query */
                                maxGroupsPerSubject: number;
                                /**
                                 * @description who shares one ε budget: each analyst, each organisation or the whole lab
                                 * @enum {string}
                                 */
                                budgetScope: "analyst" | "organisation" | "lab";
                                outputReview: boolean;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Open a Data Lab (clean room) as a data owner */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string | null;
                        minGroupSize?: number;
                        epsilonBudget?: number;
                        defaultEpsilon?: number;
                        maxRowsPerSubject?: number;
                        maxGroupsPerSubject?: number;
                        minEpsilon?: number;
                        /** @enum {string} */
                        budgetScope?: "analyst" | "organisation" | "lab";
                        outputReview?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            lab: {
                                id: string;
                                /** @description the owner organisation */
                                orgId: string;
                                name: string;
                                description: string | null;
                                /** @description k: groups with fewer subjects are suppressed */
                                minGroupSize: number;
                                /** @description ε each budget holder (see budgetScope) may spend in this lab */
                                epsilonBudget: number;
                                defaultEpsilon: number;
                                /** @description the least ε a query may spend */
                                minEpsilon: number;
                                /** @description contribution bound L: rows per subject and query */
                                maxRowsPerSubject: number;
                                /** @description contribution bound G: groups per subject and query */
                                maxGroupsPerSubject: number;
                                /**
                                 * @description who shares one ε budget: each analyst, each organisation or the whole lab
                                 * @enum {string}
                                 */
                                budgetScope: "analyst" | "organisation" | "lab";
                                outputReview: boolean;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            members: {
                                labId: string;
                                orgId: string;
                                /** @enum {string} */
                                role: "owner" | "data-owner" | "researcher";
                                /** @description the agreement the seat came from (an approved access request naming this lab) */
                                agreementId: string | null;
                                /** @description when the seat ends; null: until removed */
                                endsAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            datasets: {
                                labId: string;
                                /** @description its name in clean-room SQL */
                                name: string;
                                datasetId: string;
                                versionId: string;
                                orgId: string;
                                /** @description replaced by subject_key, its HMAC under the lab key */
                                subjectColumn: string;
                                dimensions: string[];
                                measures: {
                                    [key: string]: {
                                        lower: number;
                                        upper: number;
                                    };
                                };
                                allowMinMax: boolean;
                                rowCount: number;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            lab: {
                                id: string;
                                /** @description the owner organisation */
                                orgId: string;
                                name: string;
                                description: string | null;
                                /** @description k: groups with fewer subjects are suppressed */
                                minGroupSize: number;
                                /** @description ε each budget holder (see budgetScope) may spend in this lab */
                                epsilonBudget: number;
                                defaultEpsilon: number;
                                /** @description the least ε a query may spend */
                                minEpsilon: number;
                                /** @description contribution bound L: rows per subject and query */
                                maxRowsPerSubject: number;
                                /** @description contribution bound G: groups per subject and query */
                                maxGroupsPerSubject: number;
                                /**
                                 * @description who shares one ε budget: each analyst, each organisation or the whole lab
                                 * @enum {string}
                                 */
                                budgetScope: "analyst" | "organisation" | "lab";
                                outputReview: boolean;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            members: {
                                labId: string;
                                orgId: string;
                                /** @enum {string} */
                                role: "owner" | "data-owner" | "researcher";
                                /** @description the agreement the seat came from (an approved access request naming this lab) */
                                agreementId: string | null;
                                /** @description when the seat ends; null: until removed */
                                endsAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            datasets: {
                                labId: string;
                                /** @description its name in clean-room SQL */
                                name: string;
                                datasetId: string;
                                versionId: string;
                                orgId: string;
                                /** @description replaced by subject_key, its HMAC under the lab key */
                                subjectColumn: string;
                                dimensions: string[];
                                measures: {
                                    [key: string]: {
                                        lower: number;
                                        upper: number;
                                    };
                                };
                                allowMinMax: boolean;
                                rowCount: number;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a data owner or a researcher organisation (lab owner) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        orgId: string;
                        /** @enum {string} */
                        role: "data-owner" | "researcher";
                        /**
                         * Format: date-time
                         * @description when the seat ends (in the future); default never
                         */
                        endsAt?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            labId: string;
                            orgId: string;
                            /** @enum {string} */
                            role: "owner" | "data-owner" | "researcher";
                            /** @description the agreement the seat came from (an approved access request naming this lab) */
                            agreementId: string | null;
                            /** @description when the seat ends; null: until removed */
                            endsAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring one of your datasets into the lab: its subject column is pseudonymised (HMAC under the lab key), only the named dimensions and measures are copied */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        datasetId: string;
                        name?: string;
                        subjectColumn: string;
                        dimensions: string[];
                        measures: {
                            [key: string]: {
                                lower: number;
                                upper: number;
                            };
                        };
                        allowMinMax?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            labId: string;
                            /** @description its name in clean-room SQL */
                            name: string;
                            datasetId: string;
                            versionId: string;
                            orgId: string;
                            /** @description replaced by subject_key, its HMAC under the lab key */
                            subjectColumn: string;
                            dimensions: string[];
                            measures: {
                                [key: string]: {
                                    lower: number;
                                    upper: number;
                                };
                            };
                            allowMinMax: boolean;
                            rowCount: number;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/queries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query history of the lab with provenance (datasets, versions, ε) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                labId: string;
                                orgId: string;
                                userId: string;
                                sql: string;
                                sqlSha256: string;
                                epsilon: number;
                                datasets: {
                                    name: string;
                                    datasetId: string;
                                    versionId: string;
                                }[];
                                /** @enum {string} */
                                state: "released" | "pending-review" | "rejected";
                                result: {
                                    columns: {
                                        name: string;
                                        kind: string;
                                    }[];
                                    rows: (string | number | null)[][];
                                    /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max */
                                    intervals: (number | null)[][];
                                    noiseScales: {
                                        [key: string]: number;
                                    };
                                };
                                reviewReason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Run a clean-room query: SELECT dimensions and count/sum/avg … GROUP BY dimensions. Noisy aggregates, small groups suppressed, ε spent from your budget */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sql: string;
                        epsilon?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            sql: string;
                            sqlSha256: string;
                            epsilon: number;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            result: {
                                columns: {
                                    name: string;
                                    kind: string;
                                }[];
                                rows: (string | number | null)[][];
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max */
                                intervals: (number | null)[][];
                                noiseScales: {
                                    [key: string]: number;
                                };
                            };
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/queries/{queryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    queryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            sql: string;
                            sqlSha256: string;
                            epsilon: number;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            result: {
                                columns: {
                                    name: string;
                                    kind: string;
                                }[];
                                rows: (string | number | null)[][];
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max */
                                intervals: (number | null)[][];
                                noiseScales: {
                                    [key: string]: number;
                                };
                            };
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/queries/{queryId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Release a result awaiting output review (data owner) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    queryId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            sql: string;
                            sqlSha256: string;
                            epsilon: number;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            result: {
                                columns: {
                                    name: string;
                                    kind: string;
                                }[];
                                rows: (string | number | null)[][];
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max */
                                intervals: (number | null)[][];
                                noiseScales: {
                                    [key: string]: number;
                                };
                            };
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/queries/{queryId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withhold a result awaiting output review (data owner) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    queryId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            sql: string;
                            sqlSha256: string;
                            epsilon: number;
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            result: {
                                columns: {
                                    name: string;
                                    kind: string;
                                }[];
                                rows: (string | number | null)[][];
                                /** @description per cell, the half-width of its 95% interval (value ± half-width); null for group keys and un-noised min/max */
                                intervals: (number | null)[][];
                                noiseScales: {
                                    [key: string]: number;
                                };
                            };
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your privacy budget in this lab (yours, your organisation’s or the lab’s): ε total, spent and remaining */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            scope: "analyst" | "organisation" | "lab";
                            total: number;
                            spent: number;
                            remaining: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/job-schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of a training job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                labId: string;
                                orgId: string;
                                userId: string;
                                spec: {
                                    [key: string]: unknown;
                                };
                                specSha256: string;
                                /** @description ε charged to the budget when the job was accepted */
                                epsilon: number;
                                delta: number;
                                /** @description the data versions the job reads */
                                datasets: {
                                    name: string;
                                    datasetId: string;
                                    versionId: string;
                                }[];
                                /** @enum {string} */
                                state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                                /** @description share of the training steps done, 0–1 */
                                progress: number;
                                error: {
                                    code: string;
                                    detail: string;
                                } | null;
                                modelId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                startedAt: string | null;
                                finishedAt: string | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Submit a training job (linear regression from noisy sufficient statistics, logistic regression by DP-SGD); ε is charged from your budget when it is accepted */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the model name; each run is a new version */
                        name: string;
                        /** @description lab datasets, joined on subject_key */
                        inputs: string[];
                        features: ({
                            /** @description a measure of one of the inputs */
                            column: string;
                            /** @description values below are raised to this */
                            lower: number;
                            /** @description values above are lowered to this */
                            upper: number;
                        } | {
                            /** @description a dimension of one of the inputs */
                            column: string;
                            /** @description the feature is 1 where the column equals this, else 0 */
                            equals: string | number;
                        })[];
                        /** @description linear regression: a measure with bounds; logistic regression: a column and the value that counts as 1 */
                        target: {
                            /** @description a measure of one of the inputs */
                            column: string;
                            /** @description values below are raised to this */
                            lower: number;
                            /** @description values above are lowered to this */
                            upper: number;
                        } | {
                            /** @description a dimension of one of the inputs */
                            column: string;
                            /** @description the feature is 1 where the column equals this, else 0 */
                            equals: string | number;
                        };
                        model: {
                            kind: "linear-regression" | "logistic-regression";
                            /** @description linear regression: the noise of the sufficient statistics (default gaussian) */
                            noise?: "gaussian" | "laplace";
                            epochs?: number;
                            batchSize?: number;
                            learningRate?: number;
                            clipNorm?: number;
                        };
                        split?: {
                            testFraction: number;
                            seed: number;
                        };
                        /** @description ε this run spends from the lab budget */
                        epsilon: number;
                        /** @description δ (default 10⁻⁶) */
                        delta?: number;
                        /** @description the run is stopped past this */
                        maxSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            spec: {
                                [key: string]: unknown;
                            };
                            specSha256: string;
                            /** @description ε charged to the budget when the job was accepted */
                            epsilon: number;
                            delta: number;
                            /** @description the data versions the job reads */
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description share of the training steps done, 0–1 */
                            progress: number;
                            error: {
                                code: string;
                                detail: string;
                            } | null;
                            modelId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/jobs/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab job id (ljb_…) */
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            spec: {
                                [key: string]: unknown;
                            };
                            specSha256: string;
                            /** @description ε charged to the budget when the job was accepted */
                            epsilon: number;
                            delta: number;
                            /** @description the data versions the job reads */
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description share of the training steps done, 0–1 */
                            progress: number;
                            error: {
                                code: string;
                                detail: string;
                            } | null;
                            modelId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/jobs/{jobId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a queued or running job */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab job id (ljb_…) */
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            orgId: string;
                            userId: string;
                            spec: {
                                [key: string]: unknown;
                            };
                            specSha256: string;
                            /** @description ε charged to the budget when the job was accepted */
                            epsilon: number;
                            delta: number;
                            /** @description the data versions the job reads */
                            datasets: {
                                name: string;
                                datasetId: string;
                                versionId: string;
                            }[];
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** @description share of the training steps done, 0–1 */
                            progress: number;
                            error: {
                                code: string;
                                detail: string;
                            } | null;
                            modelId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            startedAt: string | null;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                labId: string;
                                jobId: string;
                                orgId: string;
                                userId: string;
                                name: string;
                                version: number;
                                /** @enum {string} */
                                state: "released" | "pending-review" | "rejected";
                                /** @description null for a researcher until released */
                                card: {
                                    [key: string]: unknown;
                                } | null;
                                reviewReason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the API the model is published as in the hub; null when it was never published */
                                publication: {
                                    apiId: string;
                                    /** @description served at POST /gw/{slug}/predict */
                                    slug: string;
                                    /** @description unpublished: the gateway answers 410 */
                                    isRetired: boolean;
                                } | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            jobId: string;
                            orgId: string;
                            userId: string;
                            name: string;
                            version: number;
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            /** @description null for a researcher until released */
                            card: {
                                [key: string]: unknown;
                            } | null;
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the API the model is published as in the hub; null when it was never published */
                            publication: {
                                apiId: string;
                                /** @description served at POST /gw/{slug}/predict */
                                slug: string;
                                /** @description unpublished: the gateway answers 410 */
                                isRetired: boolean;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}/card.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a released model card as JSON */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the model card: coefficients, noisy held-out metrics, ε/δ spent, data versions, spec */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a released model as an API in the hub (lab owner): the platform serves POST /gw/{slug}/predict itself, with plans, keys, rate limits and metering like any API */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the address under /gw/ */
                        slug: string;
                        title?: string;
                        description?: string;
                        /** @enum {string} */
                        visibility?: "public" | "private" | "orgs";
                        allowedOrgIds?: string[];
                        plan?: {
                            name?: string;
                            rateLimitPerSecond?: number;
                            burst?: number;
                            /** @description null: unlimited */
                            monthlyQuota?: number | null;
                            requiresApproval?: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            modelId: string;
                            api: {
                                id: string;
                                slug: string;
                                /** @enum {string} */
                                visibility: "public" | "private" | "orgs";
                                builtinUpstream: string;
                            };
                            plan: {
                                id: string;
                                name: string;
                                rateLimitPerSecond: number;
                                burst: number;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}/unpublish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unpublish a published model (lab owner): its API is retired at once, the gateway answers predict with 410 and the organisations that called it are told */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiId: string;
                            /** @description served at POST /gw/{slug}/predict */
                            slug: string;
                            /** @description unpublished: the gateway answers 410 */
                            isRetired: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Output review: release a trained model (owner or data owner) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            jobId: string;
                            orgId: string;
                            userId: string;
                            name: string;
                            version: number;
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            /** @description null for a researcher until released */
                            card: {
                                [key: string]: unknown;
                            } | null;
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the API the model is published as in the hub; null when it was never published */
                            publication: {
                                apiId: string;
                                /** @description served at POST /gw/{slug}/predict */
                                slug: string;
                                /** @description unpublished: the gateway answers 410 */
                                isRetired: boolean;
                            } | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/models/{modelId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Output review: withhold a trained model (owner or data owner) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description a lab model id (lmd_…) */
                    modelId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            jobId: string;
                            orgId: string;
                            userId: string;
                            name: string;
                            version: number;
                            /** @enum {string} */
                            state: "released" | "pending-review" | "rejected";
                            /** @description null for a researcher until released */
                            card: {
                                [key: string]: unknown;
                            } | null;
                            reviewReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the API the model is published as in the hub; null when it was never published */
                            publication: {
                                apiId: string;
                                /** @description served at POST /gw/{slug}/predict */
                                slug: string;
                                /** @description unpublished: the gateway answers 410 */
                                isRetired: boolean;
                            } | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/datasets/{name}/twin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest twin of a lab dataset (its state) and the newest ready one with its utility report */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description the lab dataset’s name */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            twin: {
                                id: string;
                                labId: string;
                                datasetName: string;
                                datasetId: string;
                                /** @description the dataset version the twin was made from */
                                versionId: string;
                                /** @description the data owner that paid */
                                orgId: string;
                                userId: string | null;
                                /** @description ε charged to the data owner’s budget for this dataset */
                                epsilon: number;
                                delta: number;
                                requestedRows: number | null;
                                /** @enum {string} */
                                state: "running" | "ready" | "failed" | "refused";
                                progress: number;
                                report: {
                                    [key: string]: unknown;
                                } | null;
                                error: {
                                    code: string;
                                    detail: string;
                                } | null;
                                /** Format: date-time */
                                createdAt: string;
                                finishedAt: string | null;
                            } | null;
                            ready: {
                                id: string;
                                labId: string;
                                datasetName: string;
                                datasetId: string;
                                /** @description the dataset version the twin was made from */
                                versionId: string;
                                /** @description the data owner that paid */
                                orgId: string;
                                userId: string | null;
                                /** @description ε charged to the data owner’s budget for this dataset */
                                epsilon: number;
                                delta: number;
                                requestedRows: number | null;
                                /** @enum {string} */
                                state: "running" | "ready" | "failed" | "refused";
                                progress: number;
                                report: {
                                    [key: string]: unknown;
                                } | null;
                                error: {
                                    code: string;
                                    detail: string;
                                } | null;
                                /** Format: date-time */
                                createdAt: string;
                                finishedAt: string | null;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Generate a differentially private synthetic twin of a lab dataset (its data owner); ε is charged to the owner’s budget for that dataset */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description the lab dataset’s name */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        epsilon?: number;
                        delta?: number;
                        rows?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            labId: string;
                            datasetName: string;
                            datasetId: string;
                            /** @description the dataset version the twin was made from */
                            versionId: string;
                            /** @description the data owner that paid */
                            orgId: string;
                            userId: string | null;
                            /** @description ε charged to the data owner’s budget for this dataset */
                            epsilon: number;
                            delta: number;
                            requestedRows: number | null;
                            /** @enum {string} */
                            state: "running" | "ready" | "failed" | "refused";
                            progress: number;
                            report: {
                                [key: string]: unknown;
                            } | null;
                            error: {
                                code: string;
                                detail: string;
                            } | null;
                            /** Format: date-time */
                            createdAt: string;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/datasets/{name}/twin/budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The data owner’s ε budget for this dataset’s twins: total, spent, remaining */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description the lab dataset’s name */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            scope: "dataset-owner";
                            datasetId: string;
                            total: number;
                            spent: number;
                            remaining: number;
                        };
                    };
                };
            };
        };
        /** Set the ε budget for this dataset’s twins (its data owner), at most the lab’s budget; what was spent stays spent */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description the lab dataset’s name */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the new total ε */
                        total: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            scope: "dataset-owner";
                            datasetId: string;
                            total: number;
                            spent: number;
                            remaining: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/labs/{labId}/datasets/{name}/twin/data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the newest ready twin as CSV or Parquet (lab members) */
        get: {
            parameters: {
                query: {
                    format: "csv" | "parquet";
                };
                header?: never;
                path: {
                    /** @description a lab id (lab_…) */
                    labId: string;
                    /** @description the lab dataset’s name */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's consents, filtered by subject, purpose, grantee or state */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    /** @description the provider's pseudonymous key of the data subject: letters, digits and . _ : @ + = - */
                    subjectKey?: string;
                    purpose?: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                    granteeOrgId?: string;
                    state?: "live" | "expired" | "revoked";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the provider (controller) that keeps the consent */
                                orgId: string;
                                subjectKey: string;
                                /** @enum {string} */
                                purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                                /** @description null: any organisation */
                                granteeOrgId: string | null;
                                datasetIds: string[];
                                /** @description with datasetIds empty too: every consent-required dataset and API of the provider */
                                apiIds: string[];
                                /** Format: date-time */
                                grantedAt: string;
                                expiresAt: string | null;
                                revokedAt: string | null;
                                revokeReason: string | null;
                                evidence: string | null;
                                importId: string | null;
                                /** @enum {string} */
                                state: "live" | "expired" | "revoked";
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Record a data subject's consent (providers): purpose, grantee, datasets/APIs, expiry, evidence */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the provider's pseudonymous key of the data subject: letters, digits and . _ : @ + = - */
                        subjectKey: string;
                        /** @enum {string} */
                        purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                        /** @description absent or null: any organisation */
                        granteeOrgId?: string | null;
                        datasetIds?: string[];
                        apiIds?: string[];
                        /** @description RFC 3339 timestamp, or a date (midnight, Hong Kong time) */
                        grantedAt?: string;
                        /** @description absent or null: until revoked */
                        expiresAt?: string | null;
                        /** @description where the proof of consent is kept: a form number, a document reference, a URL */
                        evidence?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider (controller) that keeps the consent */
                            orgId: string;
                            subjectKey: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            /** @description null: any organisation */
                            granteeOrgId: string | null;
                            datasetIds: string[];
                            /** @description with datasetIds empty too: every consent-required dataset and API of the provider */
                            apiIds: string[];
                            /** Format: date-time */
                            grantedAt: string;
                            expiresAt: string | null;
                            revokedAt: string | null;
                            revokeReason: string | null;
                            evidence: string | null;
                            importId: string | null;
                            /** @enum {string} */
                            state: "live" | "expired" | "revoked";
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OAuth2 client-credentials grant: client_secret_basic or client_secret_post; returns an ES256 JWT */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import consents from a CSV file (text/csv body, or multipart/form-data with a `file` part): all lines or none. Columns: subject_key, purpose, grantee_org_id, dataset_ids, api_ids, granted_at, expires_at, evidence (the first two required; ids separated by spaces or ;). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            importId: string;
                            imported: number;
                            /** @description SHA-256 of the file as received */
                            sha256: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a consent id (cns_…) */
                    consentId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider (controller) that keeps the consent */
                            orgId: string;
                            subjectKey: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            /** @description null: any organisation */
                            granteeOrgId: string | null;
                            datasetIds: string[];
                            /** @description with datasetIds empty too: every consent-required dataset and API of the provider */
                            apiIds: string[];
                            /** Format: date-time */
                            grantedAt: string;
                            expiresAt: string | null;
                            revokedAt: string | null;
                            revokeReason: string | null;
                            evidence: string | null;
                            importId: string | null;
                            /** @enum {string} */
                            state: "live" | "expired" | "revoked";
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a consent: queries stop showing the subject from their next run, the gateway from its next snapshot */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a consent id (cns_…) */
                    consentId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the provider (controller) that keeps the consent */
                            orgId: string;
                            subjectKey: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            /** @description null: any organisation */
                            granteeOrgId: string | null;
                            datasetIds: string[];
                            /** @description with datasetIds empty too: every consent-required dataset and API of the provider */
                            apiIds: string[];
                            /** Format: date-time */
                            grantedAt: string;
                            expiresAt: string | null;
                            revokedAt: string | null;
                            revokeReason: string | null;
                            evidence: string | null;
                            importId: string | null;
                            /** @enum {string} */
                            state: "live" | "expired" | "revoked";
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/receipts/{subjectKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A consent receipt (Kantara Consent Receipt 1.1 JSON) of one data subject's consents with your organisation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the provider's pseudonymous key of the data subject: letters, digits and . _ : @ + = - */
                    subjectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apis/{apiId}/consent-requirement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether calls to this API need a consent of the data subject they name (X-Subject-Key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            subjectRequired: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        /** Make your API consent-required: a call with X-Subject-Key needs that subject's live consent for the calling organisation and this purpose; with subjectRequired, every call must name a subject */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                        /** @description every call concerns a data subject */
                        subjectRequired: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiId: string;
                            /** @enum {string} */
                            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
                            subjectRequired: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Stop requiring consent for calls to your API */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an API id (api_…) */
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deletion-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deletion requests from revoked consents: those you must confirm (grantee), those you asked for (provider); a regulator sees the escalated ones */
        get: {
            parameters: {
                query: {
                    /** @description your side; default both */
                    as?: "grantee" | "provider";
                    consentId?: string;
                    state?: "pending" | "confirmed" | "overdue";
                    limit: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the revoked consent */
                                consentId: string;
                                /** @description the controller that kept the consent */
                                providerOrgId: string;
                                /** @description the organisation asked to delete */
                                granteeOrgId: string;
                                /** @description the agreement under which the subject’s rows were received */
                                agreementId: string;
                                datasetId: string;
                                /** @description the provider's pseudonymous key of the subject: delete the rows that carry it */
                                subjectKey: string;
                                /** @enum {string} */
                                state: "pending" | "confirmed" | "overdue";
                                /** Format: date-time */
                                dueAt: string;
                                confirmedAt: string | null;
                                evidence: string | null;
                                /** @description when it went to the regulator's queue, unconfirmed at its deadline */
                                escalatedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deletion-requests/{deletionRequestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deletion request (its provider, its grantee, or an overseer) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a deletion request id (del_…) */
                    deletionRequestId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the revoked consent */
                            consentId: string;
                            /** @description the controller that kept the consent */
                            providerOrgId: string;
                            /** @description the organisation asked to delete */
                            granteeOrgId: string;
                            /** @description the agreement under which the subject’s rows were received */
                            agreementId: string;
                            datasetId: string;
                            /** @description the provider's pseudonymous key of the subject: delete the rows that carry it */
                            subjectKey: string;
                            /** @enum {string} */
                            state: "pending" | "confirmed" | "overdue";
                            /** Format: date-time */
                            dueAt: string;
                            confirmedAt: string | null;
                            evidence: string | null;
                            /** @description when it went to the regulator's queue, unconfirmed at its deadline */
                            escalatedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deletion-requests/{deletionRequestId}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm you deleted the copies the revoked consent covered (grantee admins); the provider is told and the ledger records it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a deletion request id (del_…) */
                    deletionRequestId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description how it was deleted: a ticket, a log reference */
                        evidence?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the revoked consent */
                            consentId: string;
                            /** @description the controller that kept the consent */
                            providerOrgId: string;
                            /** @description the organisation asked to delete */
                            granteeOrgId: string;
                            /** @description the agreement under which the subject’s rows were received */
                            agreementId: string;
                            datasetId: string;
                            /** @description the provider's pseudonymous key of the subject: delete the rows that carry it */
                            subjectKey: string;
                            /** @enum {string} */
                            state: "pending" | "confirmed" | "overdue";
                            /** Format: date-time */
                            dueAt: string;
                            confirmedAt: string | null;
                            evidence: string | null;
                            /** @description when it went to the regulator's queue, unconfirmed at its deadline */
                            escalatedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Transfers your organisation is a party to (regulators and operators: all) */
        get: {
            parameters: {
                query?: {
                    state?: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the sender, whose data crosses */
                                providerOrgId: string;
                                recipientOrgId: string;
                                /** @enum {string} */
                                providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                                /** @enum {string} */
                                recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                                datasetIds: string[];
                                /** @description APIs whose calls carry the data through the gateway */
                                apiIds: string[];
                                dataCategories: string[];
                                volume: string;
                                purpose: string;
                                impactAssessment: {
                                    completedOn: string;
                                    attachment: {
                                        name: string;
                                        sha256: string;
                                    };
                                    summary: string | null;
                                } | null;
                                providerSignedAt: string | null;
                                recipientSignedAt: string | null;
                                contractEffectiveOn: string | null;
                                /** @description 10 working days after the contract takes effect (holiday calendar) */
                                filingDueOn: string | null;
                                filedOn: string | null;
                                filingReference: string | null;
                                noOnwardTransfer: boolean;
                                retentionYears: number;
                                /** Format: date-time */
                                expiresAt: string;
                                /**
                                 * @description as last decided
                                 * @enum {string}
                                 */
                                state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                                /**
                                 * @description as of now: deadlines and expiry applied
                                 * @enum {string}
                                 */
                                currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                                reason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Start a cross-boundary transfer within the GBA (sender or recipient): a draft */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        providerOrgId: string;
                        recipientOrgId: string;
                        /** @description datasets the transfer covers (with apiIds, at least one item in all) */
                        datasetIds: string[];
                        /** @description APIs whose calls the gateway lets cross the boundary under this transfer */
                        apiIds?: string[];
                        dataCategories: string[];
                        /** @description e.g. "about 2,000 records a month" */
                        volume: string;
                        purpose: string;
                        /** @description the recipient's commitment not to transfer the data onward outside the GBA */
                        noOnwardTransfer: boolean;
                        /** @description at least 3 */
                        retentionYears: number;
                        /** Format: date-time */
                        expiresAt: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/assessment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the sender's personal-information impact assessment (before submitting) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date
                         * @description YYYY-MM-DD
                         */
                        completedOn: string;
                        attachment: {
                            name: string;
                            sha256: string;
                        };
                        summary?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/sign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign the standard contract for your side */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit the transfer for review (sender) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/review/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a submitted transfer into review (regulator) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/review/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a transfer under review, with a reason (regulator) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/review/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a transfer under review, with a reason (regulator) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/filing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the filing with the authority (sender; due 10 working days after the contract takes effect) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date
                         * @description YYYY-MM-DD
                         */
                        filedOn: string;
                        reference: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/transfers/{transferId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a transfer (either party); personal data stops crossing at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a transfer id (xfr_…) */
                    transferId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the sender, whose data crosses */
                            providerOrgId: string;
                            recipientOrgId: string;
                            /** @enum {string} */
                            providerLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            /** @enum {string} */
                            recipientLocation: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                            datasetIds: string[];
                            /** @description APIs whose calls carry the data through the gateway */
                            apiIds: string[];
                            dataCategories: string[];
                            volume: string;
                            purpose: string;
                            impactAssessment: {
                                completedOn: string;
                                attachment: {
                                    name: string;
                                    sha256: string;
                                };
                                summary: string | null;
                            } | null;
                            providerSignedAt: string | null;
                            recipientSignedAt: string | null;
                            contractEffectiveOn: string | null;
                            /** @description 10 working days after the contract takes effect (holiday calendar) */
                            filingDueOn: string | null;
                            filedOn: string | null;
                            filingReference: string | null;
                            noOnwardTransfer: boolean;
                            retentionYears: number;
                            /** Format: date-time */
                            expiresAt: string;
                            /**
                             * @description as last decided
                             * @enum {string}
                             */
                            state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            /**
                             * @description as of now: deadlines and expiry applied
                             * @enum {string}
                             */
                            currentState: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                            reason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's notifications, newest first */
        get: {
            parameters: {
                query: {
                    unread?: boolean;
                    before?: string;
                    limit: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                kind: string;
                                title: string;
                                body: string;
                                objectType: string | null;
                                objectId: string | null;
                                /** @description the event's payload (docs/events.md) */
                                data: {
                                    [key: string]: unknown;
                                };
                                readAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/{notificationId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    notificationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            kind: string;
                            title: string;
                            body: string;
                            objectType: string | null;
                            objectId: string | null;
                            /** @description the event's payload (docs/events.md) */
                            data: {
                                [key: string]: unknown;
                            };
                            readAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's webhooks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                orgId: string;
                                url: string;
                                events: string[];
                                createdBy: string;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Send your organisation's events to a URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature; the deprecated STP-Signature is still sent this release); the secret (whsec_…) is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description http(s); public addresses only */
                        url: string;
                        events: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            url: string;
                            events: string[];
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                        } & {
                            /** @description shown once: keep it to check signatures */
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event catalogue: every event type a webhook can ask for, with what it reports (docs/events.md) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                type: string;
                                description: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a webhook's signing secret; the new one (whsec_…) is shown once and signs every post from now on, retries included */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a webhook id (whk_…) */
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            orgId: string;
                            url: string;
                            events: string[];
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                        } & {
                            /** @description shown once: keep it to check signatures */
                            secret: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a webhook; pending deliveries are cancelled */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a webhook id (whk_…) */
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's recent deliveries: state, attempts, the receiver's last answer */
        get: {
            parameters: {
                query: {
                    limit: number;
                };
                header?: never;
                path: {
                    /** @description a webhook id (whk_…) */
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description also sent as the webhook-id header: deduplicate on it */
                                id: string;
                                notificationId: string;
                                event: string;
                                /** @enum {string} */
                                state: "pending" | "delivered" | "failed" | "cancelled";
                                attempts: number;
                                /** Format: date-time */
                                nextAttemptAt: string;
                                lastAttemptAt: string | null;
                                lastStatus: number | null;
                                lastError: string | null;
                                deliveredAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regulator/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Review queue: agreements over sensitive data and transfers awaiting a decision (regulators) */
        get: {
            parameters: {
                query: {
                    /** @description pending: leave out agreements your organisation has reviewed */
                    include: "pending" | "all";
                    limit: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description agreements in force over sensitive or identifier columns, newest first */
                            agreements: {
                                id: string;
                                dataset: {
                                    id: string;
                                    title: string;
                                };
                                provider: {
                                    id: string;
                                    name: string | null;
                                };
                                consumer: {
                                    id: string;
                                    name: string | null;
                                };
                                purpose: string;
                                purposeText: string;
                                actions: string[];
                                columns: {
                                    name: string;
                                    classification: string | null;
                                    mask: string | null;
                                }[];
                                /** @description granted columns classified sensitive or identifier */
                                sensitiveColumns: string[];
                                masks: {
                                    [key: string]: unknown;
                                };
                                aggregateOnly: boolean;
                                expiresAt: string;
                                /** Format: date-time */
                                createdAt: string;
                                latestReview: {
                                    id: string;
                                    objectType: string;
                                    objectId: string;
                                    regulatorOrgId: string;
                                    /** @enum {string} */
                                    decision: "endorse" | "object";
                                    reason: string;
                                    decidedBy: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                } | null;
                            }[];
                            /** @description transfers submitted or under review: decide them at /v1/transfers/{id}/review/… */
                            transfers: {
                                id: string;
                                /** @enum {string} */
                                state: "draft" | "submitted" | "under-review" | "approved" | "rejected" | "filed" | "suspended" | "expired" | "revoked";
                                provider: {
                                    id: string;
                                    name: string | null;
                                    location: string;
                                };
                                recipient: {
                                    id: string;
                                    name: string | null;
                                    location: string;
                                };
                                datasetIds: string[];
                                dataCategories: string[];
                                volume: string;
                                purpose: string;
                                filingDueOn: string | null;
                                /** Format: date-time */
                                expiresAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description deletion requests from revoked consents still unconfirmed past their deadline, oldest deadline first */
                            deletionRequests: {
                                id: string;
                                /** @description the revoked consent */
                                consentId: string;
                                /** @description the controller that kept the consent */
                                providerOrgId: string;
                                /** @description the organisation asked to delete */
                                granteeOrgId: string;
                                /** @description the agreement under which the subject’s rows were received */
                                agreementId: string;
                                datasetId: string;
                                /** @description the provider's pseudonymous key of the subject: delete the rows that carry it */
                                subjectKey: string;
                                /** @enum {string} */
                                state: "pending" | "confirmed" | "overdue";
                                /** Format: date-time */
                                dueAt: string;
                                confirmedAt: string | null;
                                evidence: string | null;
                                /** @description when it went to the regulator's queue, unconfirmed at its deadline */
                                escalatedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regulator/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Regulators' reviews of an agreement, newest first (its parties, regulators and operators) */
        get: {
            parameters: {
                query: {
                    objectType: "agreement";
                    objectId: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                objectType: string;
                                objectId: string;
                                regulatorOrgId: string;
                                /** @enum {string} */
                                decision: "endorse" | "object";
                                reason: string;
                                decidedBy: string;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Endorse or object to an agreement, with a reason; both parties are notified. An objection flags, it does not revoke */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        objectType: "agreement";
                        objectId: string;
                        /** @enum {string} */
                        decision: "endorse" | "object";
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            objectType: string;
                            objectId: string;
                            regulatorOrgId: string;
                            /** @enum {string} */
                            decision: "endorse" | "object";
                            reason: string;
                            decidedBy: string;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regulator/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ledger search: entries by or about an organisation, touching a dataset or agreement, in a time range (regulators, operators) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    orgId?: string;
                    datasetId?: string;
                    agreementId?: string;
                    since?: string;
                    until?: string;
                    action?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                seq: number;
                                id: string;
                                /** Format: date-time */
                                at: string;
                                actorType: string;
                                actorId: string | null;
                                orgId: string | null;
                                action: string;
                                objectType: string;
                                objectId: string | null;
                                decision: string;
                                reason: string | null;
                                data: {
                                    [key: string]: unknown;
                                };
                                prevHash: string;
                                hash: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regulator/datasets/{datasetId}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Access history of a dataset: who queried, downloaded or shared it, when, through which agreement, rows and columns (its owner, regulators, operators) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    datasetId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                seq: number;
                                /** Format: date-time */
                                at: string;
                                action: string;
                                org: {
                                    id: string;
                                    name: string | null;
                                };
                                actorType: string;
                                actorId: string | null;
                                via: string | null;
                                agreementId: string | null;
                                rows: number | null;
                                columns: string[] | null;
                                /** @description set when the row is a refused attempt at the dataset (a probe; `via` is `probe`) */
                                refusal: {
                                    /** @description the problem code(s) the attempt was refused with */
                                    code: string;
                                    /** @description attempts this entry stands for (a summary counts a minute) */
                                    count: number;
                                } | null;
                                /** @description the ledger entry this row is read from */
                                entryHash: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/regulator/evidence-bundles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A signed evidence bundle for a scope (JSON Lines: signed manifest, then entries); verify offline with `stp audit verify --file` */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        scope: {
                            orgId?: string;
                            datasetId?: string;
                            agreementId?: string;
                            /** Format: date-time */
                            since?: string;
                            /** Format: date-time */
                            until?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/harvest-sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's harvest sources (operators: all) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                /** @description the organisation that owns what the source imports */
                                orgId: string;
                                /** @enum {string} */
                                kind: "ckan" | "dcat";
                                name: string;
                                url: string;
                                /** @description null: manual runs only */
                                intervalHours: number | null;
                                options: {
                                    /** @description CKAN: a package_search filter, e.g. tags:air */
                                    fq?: string;
                                    /** @description CKAN: only this organisation's packages (its name) */
                                    organization?: string;
                                    /** @description CKAN: packages per page */
                                    pageSize?: number;
                                    /**
                                     * @description DCAT: the serialisation when the server's content type does not say
                                     * @enum {string}
                                     */
                                    format?: "auto" | "json-ld" | "turtle" | "rdf-xml";
                                };
                                /** @enum {string} */
                                status: "active" | "disabled";
                                nextRunAt: string | null;
                                createdBy: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Register a CKAN portal or DCAT catalogue to import dataset metadata from (operators and provider admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "ckan" | "dcat";
                        name: string;
                        /** @description CKAN: the portal root; DCAT: the catalogue document (first page) */
                        url: string;
                        /** @description run every so many hours; null or absent: manual runs only */
                        intervalHours?: number | null;
                        options?: {
                            /** @description CKAN: a package_search filter, e.g. tags:air */
                            fq?: string;
                            /** @description CKAN: only this organisation's packages (its name) */
                            organization?: string;
                            /** @description CKAN: packages per page */
                            pageSize?: number;
                            /**
                             * @description DCAT: the serialisation when the server's content type does not say
                             * @enum {string}
                             */
                            format?: "auto" | "json-ld" | "turtle" | "rdf-xml";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the organisation that owns what the source imports */
                            orgId: string;
                            /** @enum {string} */
                            kind: "ckan" | "dcat";
                            name: string;
                            url: string;
                            /** @description null: manual runs only */
                            intervalHours: number | null;
                            options: {
                                /** @description CKAN: a package_search filter, e.g. tags:air */
                                fq?: string;
                                /** @description CKAN: only this organisation's packages (its name) */
                                organization?: string;
                                /** @description CKAN: packages per page */
                                pageSize?: number;
                                /**
                                 * @description DCAT: the serialisation when the server's content type does not say
                                 * @enum {string}
                                 */
                                format?: "auto" | "json-ld" | "turtle" | "rdf-xml";
                            };
                            /** @enum {string} */
                            status: "active" | "disabled";
                            nextRunAt: string | null;
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/harvest-sources/{sourceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a harvest source id (hvs_…) */
                    sourceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the organisation that owns what the source imports */
                            orgId: string;
                            /** @enum {string} */
                            kind: "ckan" | "dcat";
                            name: string;
                            url: string;
                            /** @description null: manual runs only */
                            intervalHours: number | null;
                            options: {
                                /** @description CKAN: a package_search filter, e.g. tags:air */
                                fq?: string;
                                /** @description CKAN: only this organisation's packages (its name) */
                                organization?: string;
                                /** @description CKAN: packages per page */
                                pageSize?: number;
                                /**
                                 * @description DCAT: the serialisation when the server's content type does not say
                                 * @enum {string}
                                 */
                                format?: "auto" | "json-ld" | "turtle" | "rdf-xml";
                            };
                            /** @enum {string} */
                            status: "active" | "disabled";
                            nextRunAt: string | null;
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Disable a source: no more runs; its runs and the datasets it imported stay */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a harvest source id (hvs_…) */
                    sourceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the organisation that owns what the source imports */
                            orgId: string;
                            /** @enum {string} */
                            kind: "ckan" | "dcat";
                            name: string;
                            url: string;
                            /** @description null: manual runs only */
                            intervalHours: number | null;
                            options: {
                                /** @description CKAN: a package_search filter, e.g. tags:air */
                                fq?: string;
                                /** @description CKAN: only this organisation's packages (its name) */
                                organization?: string;
                                /** @description CKAN: packages per page */
                                pageSize?: number;
                                /**
                                 * @description DCAT: the serialisation when the server's content type does not say
                                 * @enum {string}
                                 */
                                format?: "auto" | "json-ld" | "turtle" | "rdf-xml";
                            };
                            /** @enum {string} */
                            status: "active" | "disabled";
                            nextRunAt: string | null;
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/harvest-sources/{sourceId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The source's runs, newest first, with their reports */
        get: {
            parameters: {
                query: {
                    limit: number;
                };
                header?: never;
                path: {
                    /** @description a harvest source id (hvs_…) */
                    sourceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                sourceId: string;
                                /** @enum {string} */
                                trigger: "manual" | "schedule";
                                /** @enum {string} */
                                status: "running" | "succeeded" | "failed";
                                /** @description the whole catalogue was read; only then are missing records withdrawn */
                                isComplete: boolean;
                                counts: {
                                    new: number;
                                    changed: number;
                                    unchanged: number;
                                    withdrawn: number;
                                    failed: number;
                                };
                                /** @description records that failed, with the reason (at most 200 listed; counts.failed is exact) */
                                failures: {
                                    record: string;
                                    reason: string;
                                }[];
                                /** @description licences the SPDX table does not know, as the source gave them (an IRI where it has one), with how many records used each and how many stayed open because the source marks them open */
                                unmappedLicences: {
                                    licence: string;
                                    records: number;
                                    keptOpen: number;
                                }[];
                                /** @description records whose DCAT-AP 3 record breaks a mandatory shape of the profile: kept, and flagged here with each finding (at most 200 listed) */
                                nonConforming: {
                                    /** @description the record's identifier at the source */
                                    record: string;
                                    datasetId: string;
                                    violations: {
                                        focusNode: string;
                                        path: string;
                                        message: string;
                                    }[];
                                    warnings: {
                                        focusNode: string;
                                        path: string;
                                        message: string;
                                    }[];
                                }[];
                                progress: {
                                    pages: number;
                                    fetched: number;
                                    total: number | null;
                                };
                                /** @description why reading the catalogue stopped early */
                                error: string | null;
                                startedBy: string | null;
                                /** Format: date-time */
                                startedAt: string;
                                finishedAt: string | null;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Run the source now. By default answers with the finished report (201); with wait=false at once with the running run (202): poll GET …/runs/{runId} for progress and the report */
        post: {
            parameters: {
                query: {
                    wait: boolean;
                };
                header?: never;
                path: {
                    /** @description a harvest source id (hvs_…) */
                    sourceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            sourceId: string;
                            /** @enum {string} */
                            trigger: "manual" | "schedule";
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed";
                            /** @description the whole catalogue was read; only then are missing records withdrawn */
                            isComplete: boolean;
                            counts: {
                                new: number;
                                changed: number;
                                unchanged: number;
                                withdrawn: number;
                                failed: number;
                            };
                            /** @description records that failed, with the reason (at most 200 listed; counts.failed is exact) */
                            failures: {
                                record: string;
                                reason: string;
                            }[];
                            /** @description licences the SPDX table does not know, as the source gave them (an IRI where it has one), with how many records used each and how many stayed open because the source marks them open */
                            unmappedLicences: {
                                licence: string;
                                records: number;
                                keptOpen: number;
                            }[];
                            /** @description records whose DCAT-AP 3 record breaks a mandatory shape of the profile: kept, and flagged here with each finding (at most 200 listed) */
                            nonConforming: {
                                /** @description the record's identifier at the source */
                                record: string;
                                datasetId: string;
                                violations: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                                warnings: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                            }[];
                            progress: {
                                pages: number;
                                fetched: number;
                                total: number | null;
                            };
                            /** @description why reading the catalogue stopped early */
                            error: string | null;
                            startedBy: string | null;
                            /** Format: date-time */
                            startedAt: string;
                            finishedAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            sourceId: string;
                            /** @enum {string} */
                            trigger: "manual" | "schedule";
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed";
                            /** @description the whole catalogue was read; only then are missing records withdrawn */
                            isComplete: boolean;
                            counts: {
                                new: number;
                                changed: number;
                                unchanged: number;
                                withdrawn: number;
                                failed: number;
                            };
                            /** @description records that failed, with the reason (at most 200 listed; counts.failed is exact) */
                            failures: {
                                record: string;
                                reason: string;
                            }[];
                            /** @description licences the SPDX table does not know, as the source gave them (an IRI where it has one), with how many records used each and how many stayed open because the source marks them open */
                            unmappedLicences: {
                                licence: string;
                                records: number;
                                keptOpen: number;
                            }[];
                            /** @description records whose DCAT-AP 3 record breaks a mandatory shape of the profile: kept, and flagged here with each finding (at most 200 listed) */
                            nonConforming: {
                                /** @description the record's identifier at the source */
                                record: string;
                                datasetId: string;
                                violations: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                                warnings: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                            }[];
                            progress: {
                                pages: number;
                                fetched: number;
                                total: number | null;
                            };
                            /** @description why reading the catalogue stopped early */
                            error: string | null;
                            startedBy: string | null;
                            /** Format: date-time */
                            startedAt: string;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/harvest-sources/{sourceId}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a harvest source id (hvs_…) */
                    sourceId: string;
                    /** @description a harvest run id (hvr_…) */
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            sourceId: string;
                            /** @enum {string} */
                            trigger: "manual" | "schedule";
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed";
                            /** @description the whole catalogue was read; only then are missing records withdrawn */
                            isComplete: boolean;
                            counts: {
                                new: number;
                                changed: number;
                                unchanged: number;
                                withdrawn: number;
                                failed: number;
                            };
                            /** @description records that failed, with the reason (at most 200 listed; counts.failed is exact) */
                            failures: {
                                record: string;
                                reason: string;
                            }[];
                            /** @description licences the SPDX table does not know, as the source gave them (an IRI where it has one), with how many records used each and how many stayed open because the source marks them open */
                            unmappedLicences: {
                                licence: string;
                                records: number;
                                keptOpen: number;
                            }[];
                            /** @description records whose DCAT-AP 3 record breaks a mandatory shape of the profile: kept, and flagged here with each finding (at most 200 listed) */
                            nonConforming: {
                                /** @description the record's identifier at the source */
                                record: string;
                                datasetId: string;
                                violations: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                                warnings: {
                                    focusNode: string;
                                    path: string;
                                    message: string;
                                }[];
                            }[];
                            progress: {
                                pages: number;
                                fetched: number;
                                total: number | null;
                            };
                            /** @description why reading the catalogue stopped early */
                            error: string | null;
                            startedBy: string | null;
                            /** Format: date-time */
                            startedAt: string;
                            finishedAt: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The wish board: what the community asks for, newest or most voted first */
        get: {
            parameters: {
                query: {
                    limit: number;
                    cursor?: string;
                    /** @description in title, description and tags */
                    q?: string;
                    status?: "open" | "answered" | "closed";
                    sort: "recent" | "votes";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                title: string;
                                description: string;
                                tags: string[];
                                /** @enum {string} */
                                status: "open" | "answered" | "closed";
                                /** @description the wisher's organisation */
                                orgId: string;
                                orgName: string;
                                /** @description the user who posted it */
                                createdBy: string;
                                createdByName: string;
                                /** Format: date-time */
                                createdAt: string;
                                votes: number;
                                votedByMe: boolean;
                                followedByMe: boolean;
                                responseCount: number;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Ask the community for data that does not exist yet; you follow your wish from then on */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        description: string;
                        tags?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            description: string;
                            tags: string[];
                            /** @enum {string} */
                            status: "open" | "answered" | "closed";
                            /** @description the wisher's organisation */
                            orgId: string;
                            orgName: string;
                            /** @description the user who posted it */
                            createdBy: string;
                            createdByName: string;
                            /** Format: date-time */
                            createdAt: string;
                            votes: number;
                            votedByMe: boolean;
                            followedByMe: boolean;
                            responseCount: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes/{wishId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One wish with its responses, oldest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            description: string;
                            tags: string[];
                            /** @enum {string} */
                            status: "open" | "answered" | "closed";
                            /** @description the wisher's organisation */
                            orgId: string;
                            orgName: string;
                            /** @description the user who posted it */
                            createdBy: string;
                            createdByName: string;
                            /** Format: date-time */
                            createdAt: string;
                            votes: number;
                            votedByMe: boolean;
                            followedByMe: boolean;
                            responseCount: number;
                        } & {
                            responses: {
                                id: string;
                                /** @description the answering organisation */
                                orgId: string;
                                orgName: string;
                                message: string;
                                target: {
                                    /** @enum {string} */
                                    type: "dataset" | "api";
                                    id: string;
                                    /** @description the dataset's or API's title */
                                    name: string;
                                };
                                createdBy: string;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes/{wishId}/vote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Vote for a wish (one vote per person; voting again changes nothing) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            votes: number;
                            votedByMe: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Withdraw your vote */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            votes: number;
                            votedByMe: boolean;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes/{wishId}/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Follow a wish: your organisation is notified when it is answered */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            followedByMe: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Stop following a wish */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            followedByMe: boolean;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes/{wishId}/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a wish with one of your organisation's published datasets or public APIs (admins); the wisher and the followers are notified */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        message: string;
                        /** @description give this or apiId */
                        datasetId?: string;
                        /** @description give this or datasetId */
                        apiId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the answering organisation */
                            orgId: string;
                            orgName: string;
                            message: string;
                            target: {
                                /** @enum {string} */
                                type: "dataset" | "api";
                                id: string;
                                /** @description the dataset's or API's title */
                                name: string;
                            };
                            createdBy: string;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wishes/{wishId}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close your organisation's wish (its poster, or an admin); closing again changes nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a wish id (wsh_…) */
                    wishId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            title: string;
                            description: string;
                            tags: string[];
                            /** @enum {string} */
                            status: "open" | "answered" | "closed";
                            /** @description the wisher's organisation */
                            orgId: string;
                            orgName: string;
                            /** @description the user who posted it */
                            createdBy: string;
                            createdByName: string;
                            /** Format: date-time */
                            createdAt: string;
                            votes: number;
                            votedByMe: boolean;
                            followedByMe: boolean;
                            responseCount: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Active organisations of the community: data partners (providers), tech companies (consumers) and regulatory advisors (regulators) */
        get: {
            parameters: {
                query?: {
                    role?: "data-partner" | "tech-company" | "regulatory-advisor";
                    /** @description in name, description and sector */
                    q?: string;
                    /** @description exact, any case */
                    sector?: string;
                    location?: "hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                slug: string;
                                name: string;
                                roles: ("data-partner" | "tech-company" | "regulatory-advisor")[];
                                kinds: ("operator" | "provider" | "consumer" | "regulator")[];
                                sector: string | null;
                                /** @description verified by an operator */
                                location: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere") | null;
                                description: string | null;
                                website: string | null;
                                /** @description public APIs */
                                apiCount: number;
                                /** @description published datasets */
                                datasetCount: number;
                                /** @description people following it */
                                followers: number;
                                followedByMe: boolean;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/directory/{orgId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An organisation's profile with what it offers everyone: public APIs, published datasets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            slug: string;
                            name: string;
                            roles: ("data-partner" | "tech-company" | "regulatory-advisor")[];
                            kinds: ("operator" | "provider" | "consumer" | "regulator")[];
                            sector: string | null;
                            /** @description verified by an operator */
                            location: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere") | null;
                            description: string | null;
                            website: string | null;
                            /** @description public APIs */
                            apiCount: number;
                            /** @description published datasets */
                            datasetCount: number;
                            /** @description people following it */
                            followers: number;
                            followedByMe: boolean;
                            apis: {
                                id: string;
                                name: string;
                                description: string | null;
                            }[];
                            datasets: {
                                id: string;
                                title: string;
                                description: string | null;
                                isOpen: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{orgId}/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Follow an organisation: yours is notified when it publishes a dataset */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            followedByMe: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Stop following an organisation */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description an organisation id (org_…) */
                    orgId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            followedByMe: boolean;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/declarations/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of declaration files (stp.yaml): what an organisation owns, as code */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/declarations/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Compare a declaration with the live state: the creates, updates (field by field) and, with prune, deletes an apply would make */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the declaration (see /v1/declarations/schema) */
                        declaration: Record<string, never>;
                        /** @description OpenAPI documents by the path the declaration names them with */
                        documents?: {
                            [key: string]: string;
                        };
                        /** @description webhook secrets by environment variable name; used to create webhooks, never stored in a plan */
                        secrets?: {
                            [key: string]: string;
                        };
                        /** @description also remove what the file no longer names (plans, terms templates, webhooks, harvest sources) */
                        prune?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            organisation: string;
                            /** @description sha256 of the declaration; ledger entries of an apply name it */
                            hash: string;
                            changes: {
                                /** @enum {string} */
                                action: "create" | "update" | "delete";
                                /** @enum {string} */
                                kind: "api" | "api-consent" | "api-deprecation" | "plan" | "terms-template" | "dataset" | "dataset-terms" | "dataset-classifications" | "dataset-publication" | "webhook" | "harvest-source" | "lab";
                                /** @description the stable key: a slug, apiSlug/planName, a URL or a name */
                                key: string;
                                fields: {
                                    field: string;
                                    from?: unknown;
                                    to?: unknown;
                                }[];
                            }[];
                            notes: {
                                /** @enum {string} */
                                kind: "api" | "api-consent" | "api-deprecation" | "plan" | "terms-template" | "dataset" | "dataset-terms" | "dataset-classifications" | "dataset-publication" | "webhook" | "harvest-source" | "lab";
                                key: string;
                                note: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/declarations/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply a declaration (organisation admins): each change through its own service and ledger entry, naming the declaration's hash; stops at the first refusal */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the declaration (see /v1/declarations/schema) */
                        declaration: Record<string, never>;
                        /** @description OpenAPI documents by the path the declaration names them with */
                        documents?: {
                            [key: string]: string;
                        };
                        /** @description webhook secrets by environment variable name; used to create webhooks, never stored in a plan */
                        secrets?: {
                            [key: string]: string;
                        };
                        /** @description also remove what the file no longer names (plans, terms templates, webhooks, harvest sources) */
                        prune?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            organisation: string;
                            hash: string;
                            applied: ({
                                /** @enum {string} */
                                action: "create" | "update" | "delete";
                                /** @enum {string} */
                                kind: "api" | "api-consent" | "api-deprecation" | "plan" | "terms-template" | "dataset" | "dataset-terms" | "dataset-classifications" | "dataset-publication" | "webhook" | "harvest-source" | "lab";
                                /** @description the stable key: a slug, apiSlug/planName, a URL or a name */
                                key: string;
                                fields: {
                                    field: string;
                                    from?: unknown;
                                    to?: unknown;
                                }[];
                            } & {
                                ids: string[];
                            })[];
                            notes: {
                                /** @enum {string} */
                                kind: "api" | "api-consent" | "api-deprecation" | "plan" | "terms-template" | "dataset" | "dataset-terms" | "dataset-classifications" | "dataset-publication" | "webhook" | "harvest-source" | "lab";
                                key: string;
                                note: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/declarations/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's live state as a declaration, with the OpenAPI documents it names */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            declaration: unknown;
                            documents: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/declarations/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Objects changed outside the declaration file since its last apply */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            organisation: string;
                            lastApply: {
                                hash: string;
                                appliedAt: string | null;
                                isComplete: boolean;
                            } | null;
                            drift: {
                                /** @enum {string} */
                                drift: "changed" | "added" | "removed";
                                /** @enum {string} */
                                kind: "api" | "api-consent" | "api-deprecation" | "plan" | "terms-template" | "dataset" | "dataset-terms" | "dataset-classifications" | "dataset-publication" | "webhook" | "harvest-source" | "lab";
                                key: string;
                                fields: {
                                    field: string;
                                    from?: unknown;
                                    to?: unknown;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The CKAN API version served here: {"version": 3} */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {number} */
                            version: 3;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/status_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Site information: the CKAN API version this server speaks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Site information: the CKAN API version this server speaks */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/package_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Names of the public packages (datasets and APIs), as CKAN lists them */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Names of the public packages (datasets and APIs), as CKAN lists them */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limit?: number;
                        offset?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/package_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One package by id or name; private ones only for callers entitled to them */
        get: {
            parameters: {
                query: {
                    id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** One package by id or name; private ones only for callers entitled to them */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/package_search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search packages: q and fq (Solr-style field:value clauses, AND), rows, start, sort, facet.field; the same counts as the catalogue */
        get: {
            parameters: {
                query?: {
                    q?: string;
                    fq?: string;
                    rows?: number;
                    start?: number;
                    sort?: string;
                    facet?: boolean | string;
                    /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                    "facet.field"?: string | string[];
                    "facet.limit"?: number;
                    "facet.mincount"?: number;
                    include_private?: boolean | string;
                    include_drafts?: boolean | string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Search packages: q and fq (Solr-style field:value clauses, AND), rows, start, sort, facet.field; the same counts as the catalogue */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        q?: string;
                        fq?: string;
                        rows?: number;
                        start?: number;
                        sort?: string;
                        facet?: boolean | string;
                        /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                        "facet.field"?: string | string[];
                        "facet.limit"?: number;
                        "facet.mincount"?: number;
                        include_private?: boolean | string;
                        include_drafts?: boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/organization_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Publishers (CKAN organizations) of the packages you can see */
        get: {
            parameters: {
                query?: {
                    all_fields?: boolean | string;
                    sort?: string;
                    limit?: number;
                    offset?: number;
                    /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                    organizations?: string | string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Publishers (CKAN organizations) of the packages you can see */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        all_fields?: boolean | string;
                        sort?: string;
                        limit?: number;
                        offset?: number;
                        /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                        organizations?: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/organization_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One publisher by id or name, optionally with its packages */
        get: {
            parameters: {
                query: {
                    id: string;
                    include_datasets?: boolean | string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** One publisher by id or name, optionally with its packages */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        include_datasets?: boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/group_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Themes (CKAN groups) of the packages you can see */
        get: {
            parameters: {
                query?: {
                    all_fields?: boolean | string;
                    sort?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Themes (CKAN groups) of the packages you can see */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        all_fields?: boolean | string;
                        sort?: string;
                        limit?: number;
                        offset?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/tag_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tags (dataset keywords and API tags) of the packages you can see */
        get: {
            parameters: {
                query?: {
                    query?: string;
                    all_fields?: boolean | string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Tags (dataset keywords and API tags) of the packages you can see */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        query?: string;
                        all_fields?: boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/resource_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One resource (a way to reach a package: query endpoint, download, OpenAPI document, gateway) */
        get: {
            parameters: {
                query: {
                    id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** One resource (a way to reach a package: query endpoint, download, OpenAPI document, gateway) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/help_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An action's documentation */
        get: {
            parameters: {
                query: {
                    name: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** An action's documentation */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/group_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One theme (CKAN group) by id or name, optionally with its packages */
        get: {
            parameters: {
                query: {
                    id: string;
                    include_datasets?: boolean | string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** One theme (CKAN group) by id or name, optionally with its packages */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        include_datasets?: boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/tag_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tag by name, optionally with its packages */
        get: {
            parameters: {
                query: {
                    id: string;
                    include_datasets?: boolean | string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** One tag by name, optionally with its packages */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        include_datasets?: boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/license_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The licences datasets are published under, in CKAN 2.10 shape */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** The licences datasets are published under, in CKAN 2.10 shape */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/package_autocomplete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Packages whose name or title contains q, for type-ahead (name matches first) */
        get: {
            parameters: {
                query: {
                    q: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Packages whose name or title contains q, for type-ahead (name matches first) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        q: string;
                        limit?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/current_package_list_with_resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public packages with their resources, most recently modified first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                    page?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Public packages with their resources, most recently modified first */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limit?: number;
                        offset?: number;
                        page?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/recently_changed_packages_activity_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Activities of the public packages: new and changed, most recent first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Activities of the public packages: new and changed, most recent first */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limit?: number;
                        offset?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/resource_search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resources matching field:term queries (a term is found inside the field, case-insensitively) */
        get: {
            parameters: {
                query?: {
                    /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                    query?: string | string[];
                    order_by?: string;
                    offset?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Resources matching field:term queries (a term is found inside the field, case-insensitively) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description a JSON list (["tags", "organization"]) or, in a POST body, an array */
                        query?: string | string[];
                        order_by?: string;
                        offset?: number;
                        limit?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/site_read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the caller may read the site: always true (the CKAN check clients call first) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Whether the caller may read the site: always true (the CKAN check clients call first) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/vocabulary_list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tag vocabularies: none, every tag is free text */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Tag vocabularies: none, every tag is free text */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/3/action/user_show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's public fields (no e-mail), for callers signed in to the same organisation; anonymous callers are refused */
        get: {
            parameters: {
                query: {
                    id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** A user's public fields (no e-mail), for callers signed in to the same organisation; anonymous callers are refused */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            success: boolean;
                            /** @description what the action returns, in CKAN 2.10 shapes */
                            result: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            help: string;
                            /** @enum {boolean} */
                            success: false;
                            /** @description validation errors add one list of messages per field */
                            error: {
                                __type: string;
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public catalogue as DCAT-AP 3: JSON-LD (default), Turtle or N-Triples by Accept; 406 for anything else */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a dcat:Catalog with a dcat:Dataset per open dataset and a dcat:DataService per public API */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/ld+json": string;
                        "application/json": string;
                        "text/turtle": string;
                        "application/n-triples": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/catalog/apis/{apiId}/openapi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An API's OpenAPI document, its servers pointed at the gateway (a DataService's endpointDescription); public APIs need no sign-in */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    apiId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sharing/recipients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation's Delta Sharing recipients (without their tokens) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                /** @description the first characters of the bearer token, to tell recipients apart */
                                prefix: string;
                                createdBy: string;
                                /** Format: date-time */
                                expiresAt: string;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            /** @description pass as ?cursor= for the next page */
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a Delta Sharing recipient for your organisation; the profile file (with its bearer token) is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description default 90 */
                        expiresInDays?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            recipient: {
                                id: string;
                                name: string;
                                /** @description the first characters of the bearer token, to tell recipients apart */
                                prefix: string;
                                createdBy: string;
                                /** Format: date-time */
                                expiresAt: string;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            /** @description a Delta Sharing profile file (save as e.g. stp.share and give it to a Delta Sharing client) */
                            profile: {
                                /** @enum {number} */
                                shareCredentialsVersion: 1;
                                /** @description the Delta Sharing server: this platform, /delta-sharing */
                                endpoint: string;
                                /** @description shown once; store the file as a secret */
                                bearerToken: string;
                                /** Format: date-time */
                                expirationTime: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sharing/recipients/{recipientId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a recipient: its token and every file URL it was given stop working at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    recipientId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @description the first characters of the bearer token, to tell recipients apart */
                            prefix: string;
                            createdBy: string;
                            /** Format: date-time */
                            expiresAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List shares: one per agreement that permits downloads, and open-data */
        get: {
            parameters: {
                query?: {
                    maxResults?: number;
                    pageToken?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                name: string;
                                id: string;
                            }[];
                            nextPageToken?: string;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a share */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    share: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            share: {
                                name: string;
                                id: string;
                            };
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the schemas in a share (each share has one: default) */
        get: {
            parameters: {
                query?: {
                    maxResults?: number;
                    pageToken?: string;
                };
                header?: never;
                path: {
                    share: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                name: string;
                                share: string;
                            }[];
                            nextPageToken?: string;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas/{schema}/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tables in a schema: the datasets the share grants, by slug */
        get: {
            parameters: {
                query?: {
                    maxResults?: number;
                    pageToken?: string;
                };
                header?: never;
                path: {
                    share: string;
                    schema: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                name: string;
                                schema: string;
                                share: string;
                                shareId: string;
                                id: string;
                            }[];
                            nextPageToken?: string;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/all-tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List all the tables in a share */
        get: {
            parameters: {
                query?: {
                    maxResults?: number;
                    pageToken?: string;
                };
                header?: never;
                path: {
                    share: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                name: string;
                                schema: string;
                                share: string;
                                shareId: string;
                                id: string;
                            }[];
                            nextPageToken?: string;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas/{schema}/tables/{table}/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query a table's version (HEAD works too); with startingTimestamp, the earliest shared version committed at or after it */
        get: {
            parameters: {
                query?: {
                    /** @description yyyy-mm-dd hh:mm:ss[.fff] (UTC), or ISO 8601 */
                    startingTimestamp?: string;
                };
                header?: never;
                path: {
                    share: string;
                    schema: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description no body; the version is in the delta-table-version header */
                200: {
                    headers: {
                        /** @description the table version */
                        "delta-table-version"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas/{schema}/tables/{table}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query a table's metadata: a protocol line and a metaData line (NDJSON) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    share: string;
                    schema: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description protocol and metaData lines */
                200: {
                    headers: {
                        /** @description the table version */
                        "delta-table-version"?: number;
                        /** @description responseformat=parquet: the format of the answer, whatever format was asked for */
                        "delta-sharing-capabilities"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas/{schema}/tables/{table}/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a table: protocol, metaData and one file line per masked Parquet file, each with a short-lived signed URL (NDJSON); recorded in the ledger */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    share: string;
                    schema: string;
                    table: string;
                };
                cookie?: never;
            };
            /** @description all hints are optional (absent or null); send {} for the whole table */
            requestBody: {
                content: {
                    "application/json": {
                        predicateHints?: string[];
                        jsonPredicateHints?: string;
                        limitHint?: number;
                        /** @description time travel: the table version to read */
                        version?: number;
                        /** @description time travel: yyyy-mm-dd hh:mm:ss[.fff] (UTC), or ISO 8601 */
                        timestamp?: string;
                        startingVersion?: number;
                        endingVersion?: number;
                    };
                };
            };
            responses: {
                /** @description protocol, metaData and file lines */
                200: {
                    headers: {
                        /** @description the table version */
                        "delta-table-version"?: number;
                        /** @description responseformat=parquet: the format of the answer, whatever format was asked for */
                        "delta-sharing-capabilities"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/shares/{share}/schemas/{schema}/tables/{table}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a table's change data feed between two shared versions (inclusive): add and cdf lines with signed URLs to masked Parquet files (NDJSON); recorded in the ledger */
        get: {
            parameters: {
                query?: {
                    startingVersion?: number;
                    /** @description the earliest version committed at or after it */
                    startingTimestamp?: string;
                    endingVersion?: number;
                    /** @description the latest version committed at or before it */
                    endingTimestamp?: string;
                    /** @description accepted; a feed never spans a change of columns, so one metaData line describes it */
                    includeHistoricalMetadata?: boolean;
                };
                header?: never;
                path: {
                    share: string;
                    schema: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description protocol, metaData, and add and cdf lines */
                200: {
                    headers: {
                        /** @description the table version */
                        "delta-table-version"?: number;
                        /** @description responseformat=parquet: the format of the answer, whatever format was asked for */
                        "delta-sharing-capabilities"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description problem+json carrying the protocol’s error body ({errorCode, message}) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": {
                            /** @description the protocol's error code */
                            errorCode: string;
                            message: string;
                            /** @description the platform's error code (docs/errors.md) */
                            code: string;
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/delta-sharing/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A shared Parquet file, by the signed URL a table query gave (bound to one file and recipient, valid minutes); supports Range */
        get: {
            parameters: {
                query: {
                    recipient: string;
                    expires: number;
                    signature: string;
                };
                header?: never;
                path: {
                    fileId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            code: string;
            requestId?: string;
            errors?: {
                field: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        /** STP Platform agreement terms */
        "agreement-terms": {
            actions: ("query" | "download")[];
            /** @enum {string} */
            purpose: "research" | "product-development" | "service-provision" | "credit-assessment" | "fraud-prevention" | "insurance-underwriting" | "public-health" | "urban-planning" | "sustainability-reporting" | "regulatory-compliance" | "statistics" | "marketing";
            purposeText: string;
            /** Format: date-time */
            expiresAt: string;
            columns: string[];
            masks: {
                [key: string]: {
                    /** @enum {string} */
                    kind: "hash";
                } | {
                    /** @enum {string} */
                    kind: "redact";
                } | {
                    /** @enum {string} */
                    kind: "truncate-date";
                    /** @enum {string} */
                    unit: "year" | "month";
                } | {
                    /** @enum {string} */
                    kind: "band";
                    width: number;
                } | {
                    /** @enum {string} */
                    kind: "keep-last";
                    n: number;
                };
            };
            /** @description every condition must hold for a row to be visible (AND) */
            rowFilter: {
                column: string;
                /** @enum {string} */
                op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "is-null" | "is-not-null";
                value?: string | number | boolean;
                values?: (string | number | boolean)[];
            }[];
            /** @description only aggregate results: one dataset, plain columns and aggregates, rewritten by the platform (docs/governed-queries.md) */
            aggregateOnly: boolean;
            /** @description with aggregateOnly: groups of fewer distinct subjects (the dataset's subject column, else rows) are left out */
            minGroupSize: number | null;
            /** @description with aggregateOnly: every aggregate released with differential-privacy noise within an ε budget (docs/differential-privacy.md); null or absent: exact aggregates */
            noise?: {
                /** @description ε one query spends unless the caller asks for another (at least minEpsilon) */
                epsilon: number;
                /** @description the least ε one query may spend (the owner's floor, at least 0.0001) */
                minEpsilon: number;
                /** @description the total ε each budget holder may spend under this grant */
                epsilonBudget: number;
                /**
                 * @description analyst (default): each of the consumer’s users has the budget; organisation: they share one
                 * @enum {string}
                 */
                budgetScope?: "analyst" | "organisation";
                /** @description L: rows one subject contributes (default 5) */
                maxRowsPerSubject?: number;
                /** @description G: groups one subject is counted in (default 1) */
                maxGroupsPerSubject?: number;
                /** @description numeric columns that sum and avg may read, with their clamping bounds */
                measures: {
                    [key: string]: {
                        lower: number;
                        upper: number;
                    };
                };
            } | null;
            /** @description null: unlimited */
            maxQueries: number | null;
            maxRowsPerQuery: number;
            /** @description the verified locations the consumer's organisation may access from */
            regions: ("hong-kong" | "macao" | "guangzhou" | "shenzhen" | "zhuhai" | "foshan" | "huizhou" | "dongguan" | "zhongshan" | "jiangmen" | "zhaoqing" | "elsewhere")[];
            /** @description null: follow the latest version */
            pinnedVersionId: string | null;
            duties: ("attribution" | "delete-on-expiry")[];
            prohibitions: ("re-identification" | "onward-transfer")[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

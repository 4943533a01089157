import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from './principal.js';

/**
 * A real upstream for the demo: Kowloon Land's building-energy service, with hourly consumption
 * per building, generated deterministically so every start shows the same figures. The platform
 * starts it on a loopback port of its own so `npm start` needs nothing else; the API hub then
 * publishes it through the gateway like any provider's service.
 */
const buildings = [
  {
    id: 'b15w',
    name: 'Building 15W',
    campus: 'Hong Kong Science Park',
    district: 'Sha Tin',
    floorAreaM2: 21_000,
    use: 'laboratory',
  },
  {
    id: 'b17w',
    name: 'Building 17W',
    campus: 'Hong Kong Science Park',
    district: 'Sha Tin',
    floorAreaM2: 18_500,
    use: 'office',
  },
  {
    id: 'b19w',
    name: 'Building 19W',
    campus: 'Hong Kong Science Park',
    district: 'Sha Tin',
    floorAreaM2: 16_000,
    use: 'data centre',
  },
  {
    id: 'innocell',
    name: 'InnoCell',
    campus: 'Hong Kong Science Park',
    district: 'Sha Tin',
    floorAreaM2: 24_000,
    use: 'residential',
  },
  {
    id: 'amc-tko',
    name: 'Advanced Manufacturing Centre',
    campus: 'Tseung Kwan O InnoPark',
    district: 'Sai Kung',
    floorAreaM2: 108_000,
    use: 'manufacturing',
  },
  {
    id: 'mec-yl',
    name: 'Microelectronics Centre',
    campus: 'Yuen Long InnoPark',
    district: 'Yuen Long',
    floorAreaM2: 38_000,
    use: 'manufacturing',
  },
] as const;

function hourlyReadings(buildingIndex: number, from: Date, hours: number) {
  const building = buildings[buildingIndex]!;
  const intensity = {
    laboratory: 0.055,
    office: 0.03,
    'data centre': 0.12,
    residential: 0.02,
    manufacturing: 0.045,
  }[building.use];
  return Array.from({ length: hours }, (_, i) => {
    const at = new Date(from.getTime() + i * 3_600_000);
    const hour = at.getUTCHours() + 8; // Hong Kong time
    const working = hour % 24 >= 8 && hour % 24 < 20 ? 1 : 0.45;
    const noise = 0.9 + 0.2 * mulberry32(buildingIndex * 1_000_003 + Math.floor(at.getTime() / 3_600_000))();
    return {
      at: at.toISOString(),
      kWh: Math.round(building.floorAreaM2 * intensity * working * noise * 10) / 10,
    };
  });
}

export const buildingEnergyOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Park Building Energy',
    version: '1.0.0',
    description:
      'Hourly electricity consumption of buildings across the Science Park and InnoParks, from the owner’s smart meters. ' +
      'For green-tech companies working towards the park’s net-zero target for 2045.',
  },
  servers: [{ url: 'http://127.0.0.1:8081' }],
  tags: [
    { name: 'buildings', description: 'The metered buildings' },
    { name: 'energy', description: 'Consumption readings' },
  ],
  paths: {
    '/buildings': {
      get: {
        operationId: 'listBuildings',
        summary: 'List metered buildings',
        tags: ['buildings'],
        responses: {
          '200': {
            description: 'The buildings',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Building' } },
              },
            },
          },
        },
      },
    },
    '/buildings/{buildingId}': {
      get: {
        operationId: 'getBuilding',
        summary: 'One building',
        tags: ['buildings'],
        parameters: [{ $ref: '#/components/parameters/BuildingId' }],
        responses: {
          '200': {
            description: 'The building',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Building' } } },
          },
          '404': { description: 'No such building' },
        },
      },
    },
    '/buildings/{buildingId}/energy': {
      get: {
        operationId: 'getEnergy',
        summary: 'Hourly electricity consumption of a building',
        tags: ['energy'],
        parameters: [
          { $ref: '#/components/parameters/BuildingId' },
          { name: 'hours', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 168, default: 24 } },
        ],
        responses: {
          '200': {
            description: 'Readings, oldest first',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Reading' } },
              },
            },
          },
        },
      },
    },
  },
  components: {
    parameters: {
      BuildingId: { name: 'buildingId', in: 'path', required: true, schema: { type: 'string' } },
    },
    schemas: {
      Building: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          campus: { type: 'string' },
          district: { type: 'string' },
          floorAreaM2: { type: 'integer' },
          use: { type: 'string' },
        },
      },
      Reading: {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, kWh: { type: 'number' } },
      },
    },
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      oauth2: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: '/oauth/token',
            scopes: { 'api:park-building-energy': 'call this API' },
          },
        },
      },
    },
  },
  security: [{ apiKey: [] }, { oauth2: [] }],
} as const;

export interface RunningUpstream {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the demo upstream on its own loopback port: it stands for the provider's own system, so
 * it is a separate server with its own (absent) auth, reached only through the gateway in the demo.
 */
export async function startBuildingEnergyUpstream(port = 0): Promise<RunningUpstream> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://upstream');
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    };
    if (request.method !== 'GET') return send(405, { error: 'method not allowed' });
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 1 && parts[0] === 'buildings') return send(200, buildings);
    if (parts[0] !== 'buildings' || parts.length > 3) return send(404, { error: 'not found' });
    const index = buildings.findIndex((b) => b.id === parts[1]);
    if (index < 0) return send(404, { error: 'no such building' });
    if (parts.length === 2) return send(200, buildings[index]);
    if (parts[2] !== 'energy') return send(404, { error: 'not found' });
    const hours = Math.min(168, Math.max(1, Number(url.searchParams.get('hours') ?? 24) || 24));
    const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    return send(200, hourlyReadings(index, new Date(end - hours * 3_600_000), hours));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

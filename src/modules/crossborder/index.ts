export { HolidayCalendar, hongKongDate } from './calendar.js';
export { type ApiTransferFlow, apiTransferRefusal, type TransferGate } from './gate.js';
export { transferReminders } from './reminders.js';
export { transferRoutes } from './routes.js';
export { type TransferState, transferStates } from './schema.js';
export { TransferService } from './service.js';

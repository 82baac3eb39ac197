import { createAuditApp } from './audit-app.js';

createAuditApp();

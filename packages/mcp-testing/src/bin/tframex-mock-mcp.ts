#!/usr/bin/env node
// Serves a MockMCPServer module over stdio: tframex-mock-mcp <module> [--era legacy|modern|both]
import { runMockServer } from '../stdio/run-mock-server.js';

process.exitCode = await runMockServer(process.argv.slice(2));

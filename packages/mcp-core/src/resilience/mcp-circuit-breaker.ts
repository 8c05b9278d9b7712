// MCPCircuitBreaker: the TFrameX name of the circuit breaker, as users pass it to clients.
// One instance given to several clients opens for all of them at once.
import { CircuitBreaker } from './circuit-breaker.js';

/**
 * A circuit breaker several clients can share: `new MCPClient({ serverUrl, circuitBreaker:
 * breaker })` for each; failures of any count toward one circuit, and when it opens every
 * client fails fast.
 */
export class MCPCircuitBreaker extends CircuitBreaker {}

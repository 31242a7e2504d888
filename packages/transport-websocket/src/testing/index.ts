export { simulateTwilioCall, type TwilioCallerOptions, type TwilioCallReport } from './twilio-caller.js';

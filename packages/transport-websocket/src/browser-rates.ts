/** Sample rates a browser client can capture and play at (an AudioContext takes any of them). */
export const BROWSER_RATES = [8000, 16000, 24000, 48000] as const;

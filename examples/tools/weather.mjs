// A tool from a module, as YAML pipelines load them: `{ module: ./tools/weather.mjs, export: getWeather }`.
import { defineTool } from '@beluga-voice/nodes-tools';
import { z } from 'zod';

const FORECASTS = { paris: 'light rain, 14 °C', tokyo: 'clear, 22 °C', lima: 'overcast, 19 °C' };

export const getWeather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string().describe('City name, e.g. Paris') }),
  timeoutMs: 2000,
  execute: async ({ city }) => {
    const forecast = FORECASTS[city.toLowerCase()];
    if (!forecast) throw new Error(`no forecast for "${city}"; known cities: Paris, Tokyo, Lima`);
    return `${city}: ${forecast}`;
  },
});

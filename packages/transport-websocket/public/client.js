// Beluga browser client: microphone → WebSocket (binary pcm16 mono frames), agent audio → jitter
// buffer → speakers, JSON control both ways. The state is exposed as window.beluga for automation.

const beluga = {
  state: 'idle',
  stats: { sentMs: 0, receivedMs: 0, playedMs: 0, turns: 0, bargeIns: 0 },
  transcript: [],
  latencies: [],
  closeReason: undefined,
};
window.beluga = beluga;

const $ = (id) => document.getElementById(id);
let session;

function setState(state, detail = '') {
  beluga.state = state;
  $('state').textContent = state;
  $('state').dataset.state = state;
  $('detail').textContent = detail;
  $('start').disabled = state === 'connecting' || state === 'live';
  $('stop').disabled = !(state === 'connecting' || state === 'live');
}

function render() {
  for (const key of ['sentMs', 'receivedMs', 'playedMs'])
    $(key).textContent = `${(beluga.stats[key] / 1000).toFixed(1)} s`;
  $('turns').textContent = String(beluga.stats.turns);
  $('bargeIns').textContent = String(beluga.stats.bargeIns);
  $('latency').replaceChildren(
    ...beluga.latencies.map((ms, i) => {
      const row = document.createElement('tr');
      row.innerHTML = `<td>turn ${i + 1}</td><td>${ms === undefined ? '—' : `${Math.round(ms)} ms`}</td>`;
      return row;
    }),
  );
  $('transcript').replaceChildren(
    ...beluga.transcript.map((line) => {
      const p = document.createElement('p');
      p.className = line.role;
      p.textContent = `${line.role === 'user' ? 'You' : 'Agent'}: ${line.text}`;
      return p;
    }),
  );
}

async function start() {
  if (session) return;
  setState('connecting');
  const query = new URLSearchParams(location.search);
  query.delete('autostart');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws${query.size ? `?${query}` : ''}`);
  ws.binaryType = 'arraybuffer';
  session = { ws, response: undefined, played: new Map(), stopping: false };
  const current = session;
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') void onControl(current, JSON.parse(event.data));
    else onAudio(current, event.data);
  };
  ws.onclose = (event) => {
    beluga.closeReason = event.reason;
    release(current);
    const clean = current.stopping || event.code === 1000;
    setState(clean ? 'ended' : 'error', event.reason || `closed (${event.code})`);
    session = undefined;
  };
}

async function onControl(s, message) {
  switch (message.type) {
    case 'session':
      try {
        await openAudio(s, message.input.sampleRate, message.output.sampleRate);
        setState('live');
      } catch (error) {
        setState('error', `microphone: ${error.message}`);
        s.ws.close(1000, 'no microphone');
      }
      return;
    case 'response':
      s.response = message.responseId;
      $('detail').textContent = 'agent speaking…';
      return;
    case 'response-done':
      s.playback?.port.postMessage({ type: 'response-done', responseId: message.responseId });
      return;
    case 'clear':
      s.playback?.port.postMessage({ type: 'clear' });
      return;
    case 'interrupt':
      beluga.stats.bargeIns++;
      break;
    case 'turn':
      $('detail').textContent = '';
      beluga.stats.turns++;
      beluga.latencies.push(message.voiceToVoiceMs);
      break;
    case 'transcript':
      beluga.transcript.push({ role: message.role, text: message.text });
      break;
    case 'speech-start':
      $('detail').textContent = 'listening…';
      return;
    default:
      return;
  }
  render();
}

function onAudio(s, buffer) {
  if (!s.playback || s.response === undefined) return;
  beluga.stats.receivedMs += (buffer.byteLength / 2 / s.outputRate) * 1000;
  s.playback.port.postMessage({ type: 'audio', responseId: s.response, samples: buffer }, [buffer]);
  render();
}

async function openAudio(s, inputRate, outputRate) {
  s.outputRate = outputRate;
  s.stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  s.capture = new AudioContext({ sampleRate: inputRate });
  s.output = new AudioContext({ sampleRate: outputRate });
  await Promise.all([s.capture.audioWorklet.addModule('worklet.js'), s.output.audioWorklet.addModule('worklet.js')]);
  const mic = s.capture.createMediaStreamSource(s.stream);
  const capture = new AudioWorkletNode(s.capture, 'beluga-capture');
  capture.port.onmessage = (event) => {
    if (s.ws.readyState !== WebSocket.OPEN) return;
    s.ws.send(event.data);
    beluga.stats.sentMs += (event.data.byteLength / 2 / inputRate) * 1000;
  };
  mic.connect(capture);
  s.playback = new AudioWorkletNode(s.output, 'beluga-playback', { outputChannelCount: [1] });
  s.playback.port.onmessage = (event) => {
    const { responseId, playedMs } = event.data;
    beluga.stats.playedMs += playedMs - (s.played.get(responseId) ?? 0);
    s.played.set(responseId, playedMs);
    if (s.ws.readyState === WebSocket.OPEN) s.ws.send(JSON.stringify({ type: 'played', responseId, playedMs }));
    render();
  };
  s.playback.connect(s.output.destination);
  await Promise.all([s.capture.resume(), s.output.resume()]);
}

function release(s) {
  for (const track of s.stream?.getTracks() ?? []) track.stop();
  void s.capture?.close();
  void s.output?.close();
}

function stop() {
  if (!session) return;
  session.stopping = true;
  if (session.ws.readyState === WebSocket.OPEN) session.ws.send(JSON.stringify({ type: 'stop' }));
  else session.ws.close();
}

$('start').addEventListener('click', () => void start());
$('stop').addEventListener('click', stop);
render();
if (new URLSearchParams(location.search).get('autostart') === '1') void start();

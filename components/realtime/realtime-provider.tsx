'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  type ClientToServerEvents,
  type RealtimeMessage,
  SERVER_EVENTS,
  type ServerEventType,
  type ServerToClientEvents,
  type SubscribeResult,
} from '@/lib/realtime/events';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';
type Listener = (message: RealtimeMessage) => void;

interface RealtimeContextValue {
  status: ConnectionStatus;
  /** Joins rooms for as long as the caller is mounted; `lastSeq` 0 replays the rooms' history. */
  subscribe(rooms: string[], options?: { lastSeq?: number }): () => void;
  /**
   * Listens to event types; returns the unsubscribe function. With `recent`, the listener is first
   * given the tab's recent events of those types (oldest first): a component mounted after events
   * of its room already reached the tab through another room sees them too (the server's replay
   * of them is dropped here as a duplicate).
   */
  listen(types: ServerEventType[], listener: Listener, options?: { recent?: boolean }): () => void;
  /** Called when the server says a reconnect missed more events than it replays. */
  onResync(listener: () => void): () => void;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);
const SEEN_LIMIT = 5000;
/** Events kept for listeners that ask for recent ones. */
const RECENT_LIMIT = 1000;

/**
 * One Socket.IO connection per tab, authenticated by the session cookie. It re-subscribes after
 * every reconnect with the last seq it saw, so missed events are replayed; duplicates (replays
 * overlap on purpose) are dropped by seq.
 */
export function RealtimeProvider({ children, rooms: baseRooms }: { children: ReactNode; rooms: string[] }) {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const socketRef = useRef<Socket<ServerToClientEvents, ClientToServerEvents> | null>(null);
  const roomCounts = useRef(new Map<string, number>());
  const listeners = useRef(new Map<ServerEventType, Set<Listener>>());
  const resyncListeners = useRef(new Set<() => void>());
  const lastSeq = useRef(0);
  const seen = useRef(new Set<number>());
  const recent = useRef<RealtimeMessage[]>([]);

  const deliver = useCallback((message: RealtimeMessage) => {
    const seq = message.data.seq;
    if (seen.current.has(seq)) return;
    seen.current.add(seq);
    if (seen.current.size > SEEN_LIMIT) {
      const oldest = seen.current.values().next().value;
      if (oldest !== undefined) seen.current.delete(oldest);
    }
    lastSeq.current = Math.max(lastSeq.current, seq);
    recent.current.push(message);
    if (recent.current.length > RECENT_LIMIT) recent.current.splice(0, recent.current.length - RECENT_LIMIT);
    for (const l of listeners.current.get(message.type) ?? []) l(message);
  }, []);

  const sendSubscribe = useCallback((rooms: string[], seq?: number) => {
    const socket = socketRef.current;
    if (!socket?.connected || rooms.length === 0) return;
    socket.emit('subscribe', { rooms, lastSeq: seq }, (res: { data: SubscribeResult } | { error: unknown }) => {
      if ('data' in res && res.data.truncated) for (const l of resyncListeners.current) l();
    });
  }, []);

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
    });
    socketRef.current = socket;
    let everConnected = false;
    socket.on('connect', () => {
      setStatus('connected');
      const rooms = [...new Set([...baseRooms, ...roomCounts.current.keys()])];
      sendSubscribe(rooms, everConnected ? lastSeq.current : undefined);
      everConnected = true;
    });
    // Socket.IO reconnects by itself after a lost connection, but not when the server closed the
    // socket (a graceful restart or deploy) or refused the handshake: retry those too, spaced out,
    // so a dashboard left open comes back with the server instead of staying red until a reload.
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (ms: number) => {
      clearTimeout(retry);
      retry = setTimeout(
        () => {
          if (!socket.connected && !socket.active) socket.connect();
        },
        ms + Math.random() * 1000,
      );
    };
    socket.on('disconnect', (reason) => {
      setStatus('disconnected');
      if (reason === 'io server disconnect') retryLater(1000);
    });
    socket.on('connect_error', () => {
      setStatus('disconnected');
      if (!socket.active) retryLater(5000);
    });
    for (const type of SERVER_EVENTS) socket.on(type, deliver as never);
    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [baseRooms, deliver, sendSubscribe]);

  const subscribe = useCallback(
    (rooms: string[], options: { lastSeq?: number } = {}) => {
      const fresh: string[] = [];
      for (const room of rooms) {
        const n = roomCounts.current.get(room) ?? 0;
        roomCounts.current.set(room, n + 1);
        if (n === 0) fresh.push(room);
      }
      if (fresh.length) sendSubscribe(fresh, options.lastSeq);
      return () => {
        const gone: string[] = [];
        for (const room of rooms) {
          const n = (roomCounts.current.get(room) ?? 1) - 1;
          if (n <= 0) {
            roomCounts.current.delete(room);
            if (!baseRooms.includes(room)) gone.push(room);
          } else roomCounts.current.set(room, n);
        }
        if (gone.length && socketRef.current?.connected) socketRef.current.emit('unsubscribe', { rooms: gone }, () => {});
      };
    },
    [baseRooms, sendSubscribe],
  );

  const listen = useCallback((types: ServerEventType[], listener: Listener, options: { recent?: boolean } = {}) => {
    if (options.recent) {
      const wanted = new Set(types);
      for (const m of [...recent.current].sort((a, b) => a.data.seq - b.data.seq)) if (wanted.has(m.type)) listener(m);
    }
    for (const type of types) {
      if (!listeners.current.has(type)) listeners.current.set(type, new Set());
      listeners.current.get(type)!.add(listener);
    }
    return () => {
      for (const type of types) listeners.current.get(type)?.delete(listener);
    };
  }, []);

  const onResync = useCallback((listener: () => void) => {
    resyncListeners.current.add(listener);
    return () => void resyncListeners.current.delete(listener);
  }, []);

  const value = useMemo(() => ({ status, subscribe, listen, onResync }), [status, subscribe, listen, onResync]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('useRealtime must be used inside RealtimeProvider');
  return value;
}

/** Runs `handler` for each event of the given types while mounted (first for the recent ones, with `recent`). */
export function useRealtimeEvent(types: ServerEventType[], handler: Listener, options: { recent?: boolean } = {}): void {
  const { listen } = useRealtime();
  const ref = useRef(handler);
  ref.current = handler;
  const key = types.join(',');
  const withRecent = Boolean(options.recent);
  useEffect(() => listen(key.split(',') as ServerEventType[], (m) => ref.current(m), { recent: withRecent }), [listen, key, withRecent]);
}

/**
 * For figures that load no model (their data came with the page): `data-status` is "static"
 * in the build-time HTML and "live" once the island has hydrated and answers the reader, the
 * same attribute contract as figures driven by useLive.
 */
import { useEffect, useState } from 'preact/hooks';

export function useHydratedStatus(): 'static' | 'live' {
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  return live ? 'live' : 'static';
}

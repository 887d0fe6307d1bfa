/**
 * On an embed page: tells the page that frames it how high the figure is (the message is in
 * src/components/ui/embed.ts), once it has loaded and again whenever its content changes height
 * (a figure going live, a longer list, a narrower iframe wrapping the caption). A listener in the
 * host page (the one the Embed box copies) sets the iframe's height from it; without one,
 * nothing happens and the iframe keeps its fixed height.
 */
import { HEIGHT_MESSAGE, type HeightMessage } from '../components/ui/embed';

const figure = document.body.dataset['embedFigure'] ?? '';
let sent = -1;

function post(force: boolean): void {
  if (window.parent === window) return; // not framed
  // The body's own box: the figure, caption and link (not the iframe's viewport, which a
  // document at least fills, so that a shorter figure can shrink the iframe too).
  const height = Math.ceil(document.body.getBoundingClientRect().height);
  if (height <= 0 || (height === sent && !force)) return;
  sent = height;
  const message: HeightMessage = { type: HEIGHT_MESSAGE, figure, height };
  window.parent.postMessage(message, '*');
}

new ResizeObserver(() => post(false)).observe(document.body);
// Once more when everything has loaded, for a listener that was added after the first message.
if (document.readyState === 'complete') post(true);
else addEventListener('load', () => post(true));

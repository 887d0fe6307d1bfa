declare namespace App {
  interface Locals {
    /** RuntimeStart.astro has put the runtime's boot script into this page already. */
    ortBootRendered?: boolean;
  }
}

/** The moderator's desk: one Preact app behind /admin, talking to the moderation API with a cookie session. */
import { render } from "preact";
import { Desk } from "./desk.js";

const root = document.getElementById("desk");
if (root) {
  root.textContent = "";
  render(<Desk />, root);
}

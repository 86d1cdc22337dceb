import { initAll } from "../govuk/govuk-frontend.min.js";
import { initSession } from "./session.js";

initAll();
initSession();

import fc from "fast-check";
import { testSeed } from "../helpers/seed.js";

// Every fast-check property and sample in the file draws from the run's seed (see seed.ts).
fc.configureGlobal({ seed: testSeed });

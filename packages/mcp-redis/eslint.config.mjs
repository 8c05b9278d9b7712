import baseConfig from '../../eslint.config.mjs';
import { packageJsonRules } from '../../tools/eslint.package-json.mjs';

export default [...baseConfig, ...(await packageJsonRules())];

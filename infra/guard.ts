import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/** The Control Tower rules that ship with the cfn-guard plugin: one guard file per control. */
const RULES_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')),
  '..',
  'rules',
  'control-tower',
  'cfn-guard',
);

/** Every guard file under a folder, with the resource types it names (`AWS::S3::Bucket`, …). */
function ruleFiles(dir: string): { path: string; types: string[] }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ruleFiles(path);
    return [{ path, types: [...new Set(readFileSync(path, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [])] }];
  });
}

let controlTowerRules: { path: string; types: string[] }[] | undefined;

/** The resource types of the templates being validated. */
function typesOf(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const path of templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
    for (const resource of Object.values(template.Resources ?? {})) if (resource.Type) types.add(resource.Type);
  }
  return types;
}

/**
 * cfn-guard with the Control Tower rules, as `CfnGuardValidator` runs them, given only the rule files that can
 * apply: those naming a resource type the templates hold (a file naming none always runs). A guard rule selects
 * resources by type, so a file whose types are absent has nothing to check and finds nothing; leaving it out gives
 * the same report (test/infra/checks.test.ts compares the two) in a fraction of the time: cfn-guard spends about
 * 25 s of CPU on all 237 files over this stack's templates, and a few seconds on the 57 that apply. The plugin's
 * name and rule ids are the full set's, so acknowledgements (`cdk-validator-cfnguard::<rule>`) read as before.
 */
export class ControlTowerGuard implements IPolicyValidationPluginBeta1 {
  private readonly full = new CfnGuardValidator();
  readonly name = this.full.name;
  readonly version = this.full.version;
  readonly ruleIds = this.full.ruleIds;

  /** The rule files that can apply to these templates. */
  static applicableRules(templatePaths: readonly string[]): string[] {
    controlTowerRules ??= ruleFiles(RULES_DIR);
    const types = typesOf(templatePaths);
    return controlTowerRules.filter((rule) => rule.types.length === 0 || rule.types.some((t) => types.has(t))).map((rule) => rule.path);
  }

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const rules = ControlTowerGuard.applicableRules(context.templatePaths);
    if (rules.length === 0) return { success: true, violations: [] };
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate(context);
  }
}

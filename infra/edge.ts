import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { WafSettings } from './config.js';

/** CloudFront takes only a web ACL of scope CLOUDFRONT, and those exist in us-east-1 alone. */
export const EDGE_REGION = 'us-east-1';

/**
 * The AWS managed rule groups, in the order WAF evaluates them after the IP reputation list. CommonRuleSet's
 * SizeRestrictions_BODY blocks bodies over 8 KB: GraphQL documents and list inputs can be larger, and the API bounds
 * bodies itself with a clear 413, so that one rule only counts.
 */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY'] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
] as const;

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
  readonly waf: WafSettings;
}

/**
 * The stage's edge protection, in us-east-1: the WAF web ACL on the CloudFront distribution that serves the web app,
 * `/graphql` and `/exports/*`. Managed rule groups (IP reputation, common exploits, known bad inputs) and two per-caller
 * rate rules: per IP address, and per bearer token (one signed-in session), so that one caller's flood is blocked at the
 * edge while the API's stage-wide throttle stays a backstop for everyone.
 */
export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const metric = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `samordning-${props.stage}-${name}`,
      sampledRequestsEnabled: true,
    });

    const managed = MANAGED_RULE_GROUPS.map(
      (group, index): wafv2.CfnWebACL.RuleProperty => ({
        name: group.name,
        priority: index,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group.name,
            ...(group.countOnly.length === 0
              ? {}
              : { ruleActionOverrides: group.countOnly.map((name) => ({ name, actionToUse: { count: {} } })) }),
          },
        },
        visibilityConfig: metric(group.name),
      }),
    );
    const rate = (name: string, priority: number, statement: wafv2.CfnWebACL.RateBasedStatementProperty): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      statement: { rateBasedStatement: statement },
      visibilityConfig: metric(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `samordning-${props.stage}`,
      description: `Samordning ${props.stage}: managed rules and per-caller rate limits in front of the web app and its API`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      rules: [
        ...managed,
        rate('rate-per-ip', managed.length, {
          aggregateKeyType: 'IP',
          limit: props.waf.ipRateLimit,
          evaluationWindowSec: props.waf.windowSeconds,
        }),
        // Requests without an Authorization header (the app's files) are not counted here; the per-IP rule covers them.
        rate('rate-per-token', managed.length + 1, {
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          limit: props.waf.tokenRateLimit,
          evaluationWindowSec: props.waf.windowSeconds,
        }),
      ],
    });
  }
}

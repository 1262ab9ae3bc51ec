import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface OriginSecretProps {
  readonly stage: string;
  readonly retain: boolean;
}

/**
 * The value the CloudFront distribution puts in `x-samordning-origin` on every request it sends to the HTTP API, and
 * that the GraphQL function requires (functions/graphql/origin.ts): what makes the WAF in front of the distribution
 * impossible to go around by calling the execute-api URL. An HTTP API has no resource policy and no WAF of its own,
 * and turning its execute-api endpoint off would need a custom domain and certificate for the API.
 */
export class OriginSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Samordning ${props.stage}: the header value CloudFront sends the API (x-samordning-origin)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront holds this value in its origin configuration, where it arrives only with a deploy (a dynamic reference), so a ' +
        'scheduled rotation would cut the API off from its distribution until the next deploy. It is rotated by ops instead: ' +
        '`put-secret-value`, then `cdk deploy`; the function accepts the current and the previous value, so nothing is refused ' +
        'in between (docs/operations.md). It grants no access: every request still needs a Cognito token.',
    });
  }

  /** The value, as CloudFormation resolves it at deploy time: for CloudFront's origin header only, never a function's environment. */
  get headerValue(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }

  /** Lets a function check the header: GetSecretValue on this secret alone, and its ARN in `ORIGIN_SECRET_ARN`. */
  grantReadTo(fn: lambda.Function): void {
    fn.addEnvironment('ORIGIN_SECRET_ARN', this.secret.secretArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadOriginSecret', actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
  }
}

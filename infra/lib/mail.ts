import { aws_iam as iam, Stack, aws_ses as ses } from "aws-cdk-lib";
import type { Construct } from "constructs";

export interface Mail {
  configurationSet: ses.ConfigurationSet;
  identity: ses.EmailIdentity;
  /** The right to send through this identity and configuration set, nothing else. */
  sendMail: iam.PolicyStatement;
}

/** The SES domain identity mail is sent from, with a configuration set that suppresses bounces. */
export function createMail(scope: Construct, senderDomain: string): Mail {
  const configurationSet = new ses.ConfigurationSet(scope, "MailConfig", {
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  const identity = new ses.EmailIdentity(scope, "MailIdentity", {
    identity: ses.Identity.domain(senderDomain),
    configurationSet,
  });
  const configurationSetArn = Stack.of(scope).formatArn({
    service: "ses",
    resource: "configuration-set",
    resourceName: configurationSet.configurationSetName,
  });
  const sendMail = new iam.PolicyStatement({
    actions: ["ses:SendEmail", "ses:SendRawEmail"],
    resources: [identity.emailIdentityArn, configurationSetArn],
  });
  return { configurationSet, identity, sendMail };
}

import {
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cw,
  Duration,
  type aws_elasticbeanstalk as eb,
  aws_sns as sns,
  aws_sns_subscriptions as subs,
  Validations,
} from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { NotificationQueue } from "./notification-queue.js";
import type { Profile } from "./profile.js";

/**
 * Alarms that need a person, sent to one SNS topic (mailed to `alarmEmail` when given): mail
 * that failed for good (dead letters), and the web app answering with 5xx or losing health.
 */
export function createAlarms(
  scope: Construct,
  o: { queue: NotificationQueue; environment: eb.CfnEnvironment; profile: Profile },
): sns.Topic {
  const topic = new sns.Topic(scope, "AlarmTopic", {
    displayName: "Evenly alarms",
    enforceSSL: true,
  });
  Validations.of(topic).acknowledge({
    id: "AwsSolutions-SNS2",
    reason:
      "Alarm notices carry alarm names and metric values, nothing confidential; CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, and a customer key costs more than it protects here",
  });
  if (o.profile.alarmEmail) topic.addSubscription(new subs.EmailSubscription(o.profile.alarmEmail));
  const notify = new actions.SnsAction(topic);

  const dlq = new cw.Alarm(scope, "DeadLetterAlarm", {
    alarmDescription: "Notifications failed for good: see `npm run dead-letters` in the README",
    metric: o.queue.deadLetters.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: cw.Stats.MAXIMUM,
    }),
    threshold: 0,
    comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cw.TreatMissingData.NOT_BREACHING,
  });

  const envDimensions = { EnvironmentName: o.environment.ref };
  const errors = new cw.Alarm(scope, "Web5xxAlarm", {
    alarmDescription: "The web app answered more than 5% of requests with 5xx for 5 minutes",
    metric: new cw.MathExpression({
      expression: "IF(total > 0, 100 * errors / total, 0)",
      usingMetrics: {
        errors: new cw.Metric({
          namespace: "AWS/ElasticBeanstalk",
          metricName: "ApplicationRequests5xx",
          dimensionsMap: envDimensions,
          statistic: cw.Stats.SUM,
        }),
        total: new cw.Metric({
          namespace: "AWS/ElasticBeanstalk",
          metricName: "ApplicationRequestsTotal",
          dimensionsMap: envDimensions,
          statistic: cw.Stats.SUM,
        }),
      },
      period: Duration.minutes(1),
    }),
    threshold: 5,
    comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    treatMissingData: cw.TreatMissingData.NOT_BREACHING,
  });

  // The load balancer's own 5xx (502/503 with no healthy instance) make the environment Severe.
  const health = new cw.Alarm(scope, "WebHealthAlarm", {
    alarmDescription: "The web environment is Degraded or Severe (no healthy instance answers)",
    metric: new cw.Metric({
      namespace: "AWS/ElasticBeanstalk",
      metricName: "EnvironmentHealth",
      dimensionsMap: envDimensions,
      statistic: cw.Stats.MINIMUM,
      period: Duration.minutes(1),
    }),
    threshold: 20,
    comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 5,
    treatMissingData: cw.TreatMissingData.NOT_BREACHING,
  });

  for (const alarm of [dlq, errors, health]) {
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
  }
  return topic;
}

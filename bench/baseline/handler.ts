import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The smallest handler of the same kind, the yardstick of the cold-import and bundle budgets: Apollo Server with a
 * one-field schema behind the same Lambda integration, the same plugins disabled (landing page, usage reporting,
 * inline traces, cache control), and a DynamoDB document client that the field uses, traced with X-Ray through the same Powertools
 * tracer (the real function traces every SDK call; a baseline without tracing would charge the tracer to the code).
 * Bundled exactly as the real handler is (bench/bundle.ts).
 */
const tracer = new Tracer({ serviceName: 'samordning-baseline', captureHTTPsRequests: false });
const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));

const server = new ApolloServer({
  typeDefs: 'type Query { title(id: ID!): String }',
  resolvers: {
    Query: {
      title: async (_root: unknown, { id }: { id: string }) => {
        const out = await client.send(new GetCommand({ TableName: process.env.MEASURES_TABLE, Key: { pk: id, sk: id } }));
        return typeof out.Item?.title === 'string' ? out.Item.title : null;
      },
    },
  },
  plugins: [
    ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
    ApolloServerPluginCacheControlDisabled(),
  ],
});

export const handler = startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler());

import { ApolloServer } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The smallest handler of the same kind, the yardstick of the cold-import budget: Apollo Server with
 * a one-field schema behind the same Lambda integration, and a DynamoDB document client that the
 * field uses. Bundled exactly as the real handler is (bench/bundle.ts).
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

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
});

export const handler = startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler());

/** MULTI and pipelines report failed commands in their results instead of rejecting; surface them. */
export async function failOnError(results: Promise<[Error | null, unknown][] | null>): Promise<void> {
  const replies = await results;
  if (replies === null) throw new Error('Redis aborted the transaction');
  const failure = replies.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
}

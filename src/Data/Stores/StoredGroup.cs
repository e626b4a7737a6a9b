using Pipeline.Contracts;

namespace Pipeline.Data.Stores;

/// <summary>A stored group as its message, with what the learner did with it.</summary>
public sealed record StoredGroup(RolloutGroupScored Group, bool TrainedOn, bool Stale, DateTimeOffset ReceivedAt);

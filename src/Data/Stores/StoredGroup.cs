using Pipeline.Contracts;

namespace Pipeline.Data.Stores;

/// <summary>A stored group as its message, with what the learner did with it.</summary>
/// <param name="ConsumedAtStep">the training step that consumed it (trained on it or dropped it); null if none did</param>
public sealed record StoredGroup(RolloutGroupScored Group, bool TrainedOn, bool Stale, DateTimeOffset ReceivedAt, int? ConsumedAtStep = null);

namespace Cloud.Modules.Kernel.Bus.InProcess;

/// <summary>A message in an in-process queue, with how many times it has been delivered before (its attempt number).</summary>
internal readonly record struct InProcessDelivery(byte[] Body, int Attempt);

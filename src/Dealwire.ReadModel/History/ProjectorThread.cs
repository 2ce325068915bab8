namespace Dealwire.ReadModel.History;

/// <summary>
/// A task scheduler with one thread of its own, for the history projector's loop. Its awaits resume here (they do not
/// use <c>ConfigureAwait(false)</c>), so the database work between them runs on this thread: SQLite's writes are
/// synchronous and now and then end in a WAL checkpoint and an fsync, milliseconds in which a thread-pool worker would
/// be lost to the command path (a 2-core machine has two of them before the pool injects more).
/// </summary>
/// <remarks>
/// Work queued after <see cref="Dispose"/> (a late continuation of the loop's last await) runs on the pool instead,
/// so nothing is dropped.
/// </remarks>
internal sealed class ProjectorThread : TaskScheduler, IDisposable
{
    private readonly Queue<Task> _queue = new();
    private readonly Thread _thread;
    private bool _closed;

    public ProjectorThread(string name)
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Starts <paramref name="loop"/> on this thread; the task completes when the loop does.</summary>
    public Task Start(Func<Task> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    protected override void QueueTask(Task task)
    {
        lock (_queue)
        {
            if (!_closed)
            {
                _queue.Enqueue(task);
                if (_queue.Count == 1) Monitor.Pulse(_queue);
                return;
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Scheduler.TryExecuteTask(s.Task), (Scheduler: this, Task: task), preferLocal: false);
    }

    // Only on its own thread, so the loop never runs anywhere else while it is open.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && !taskWasPreviouslyQueued && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue) return _queue.ToArray();
    }

    private void Run()
    {
        while (true)
        {
            Task task;
            lock (_queue)
            {
                while (_queue.Count == 0)
                {
                    if (_closed) return;
                    Monitor.Wait(_queue);
                }
                task = _queue.Dequeue();
            }
            TryExecuteTask(task);
        }
    }

    /// <summary>Lets the thread finish what is queued and end.</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            _closed = true;
            Monitor.PulseAll(_queue);
        }
    }
}

package org.nas4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Where the time of each trial's Spark job goes, from the scheduler's events: the job's span (submission handled
 * to job end), the wait from the job's start to its task's launch, the task's executor-side run time, and the task's
 * time outside that run (deserialization, result serialization, the result's way back). Keyed by trial id, read from
 * the job description {@code SparkTrials} sets ("nas4j trial N attempt A"); the last attempt of a trial wins.
 */
final class JobTimes extends SparkListener {
    /** One job's times in milliseconds. */
    record Times(long spanMs, long launchWaitMs, long runMs, long outsideRunMs) {
    }

    private final Map<Integer, Integer> trialOfJob = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
    private final Map<Integer, Long> startOfJob = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> taskOfJob = new ConcurrentHashMap<>();
    private final Map<Integer, Times> byTrial = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String description = start.properties() == null ? null
                : start.properties().getProperty("spark.job.description");
        if (description == null || !description.startsWith("nas4j trial ")) {
            return;
        }
        int trial = Integer.parseInt(description.split(" ")[2]);
        trialOfJob.put(start.jobId(), trial);
        startOfJob.put(start.jobId(), start.time());
        for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds())) {
            stageToJob.put((Integer) stage, start.jobId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Integer job = stageToJob.get(end.stageId());
        if (job == null || end.taskInfo() == null || end.taskMetrics() == null) {
            return;
        }
        long duration = end.taskInfo().finishTime() - end.taskInfo().launchTime();
        long run = end.taskMetrics().executorRunTime();
        taskOfJob.put(job, new long[] {end.taskInfo().launchTime(), run, duration - run});
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        Integer trial = trialOfJob.get(end.jobId());
        long[] task = taskOfJob.get(end.jobId());
        if (trial == null || task == null) {
            return;
        }
        long start = startOfJob.get(end.jobId());
        byTrial.put(trial, new Times(end.time() - start, task[0] - start, task[1], task[2]));
    }

    /** The times of trial {@code id}'s last job, or null if none was seen. */
    Times of(int id) {
        return byTrial.get(id);
    }
}

package com.eucalyptus.cc.instances;

/**
 * A volume of an instance as its NC reports it (ncDescribeInstances' volumes): the export, the
 * device the user asked for, and "attaching", "attached" or "detaching".
 */
public record AttachedVolume(String volumeId, String remoteDev, String localDev, String state) {
}

package dev.coldstart.examples.demo;

import dev.coldstart.testkit.ResourceProfile;
import dev.coldstart.testkit.ResourceScenarios;

/**
 * The demo passes CS-26 to CS-30 with its own resource settings: the profile is read from the
 * {@link DemoConfig} that {@link DemoService#main(String[])} parses (no options, so the demo's
 * defaults), through the same {@link DemoResourcesConfig} that builds the demo's preflight, monitors
 * and limiter.
 */
class DemoResourceScenariosIT implements ResourceScenarios {

    @Override
    public ResourceProfile resourceProfile() {
        DemoResourcesConfig resources = DemoConfig.parse().resources();
        return ResourceProfile.builder()
                .fileDescriptorHeadroom(resources.fileDescriptorHeadroom())
                .fileDescriptorMonitor(resources.fileDescriptorMonitor())
                .memoryPressure(resources.memoryPressure())
                .cpuThrottle(resources.cpuThrottle())
                .diskLatency(resources.diskLatency())
                .bulkShareOfLink(resources.bulkShareOfLink())
                .build();
    }
}

"""Seed the technology taxonomy. Admins edit it afterwards; this only adds what is missing."""

from django.db import migrations

TAXONOMY = [
    (
        "automated-license-plate-readers",
        "Automated License Plate Readers",
        "Cameras that photograph passing vehicles, read their plates and log the time and place, "
        "building a searchable record of where cars have been.",
    ),
    (
        "body-worn-cameras",
        "Body-worn Cameras",
        "Cameras worn by officers that record video and audio of their encounters.",
    ),
    (
        "camera-registry",
        "Camera Registry",
        "Programs in which residents and businesses register or share their private security "
        "cameras with police.",
    ),
    (
        "cell-site-simulator",
        "Cell-site Simulator",
        "Devices that mimic cell towers to locate phones and collect identifiers, often called "
        "IMSI catchers or Stingrays.",
    ),
    (
        "drones",
        "Drones",
        "Unmanned aerial vehicles carrying cameras or other sensors.",
    ),
    (
        "face-recognition",
        "Face Recognition",
        "Software that identifies or verifies people by comparing images of their faces with "
        "a database of photos.",
    ),
    (
        "fusion-center",
        "Fusion Center",
        "Centres where federal, state and local agencies pool and analyse intelligence.",
    ),
    (
        "gunshot-detection",
        "Gunshot Detection",
        "Networks of microphones that detect loud sounds and report suspected gunfire.",
    ),
    (
        "predictive-policing",
        "Predictive Policing",
        "Software that forecasts where crime will happen or who will be involved in it.",
    ),
    (
        "real-time-crime-center",
        "Real-Time Crime Center",
        "Command centres that bring live camera feeds, sensors and databases together.",
    ),
    (
        "third-party-investigative-platforms",
        "Third-party Investigative Platforms",
        "Commercial data platforms that aggregate records about people for investigators.",
    ),
    (
        "video-analytics",
        "Video Analytics",
        "Software that searches or watches video automatically for people, objects or events.",
    ),
    (
        "social-media-monitoring",
        "Social Media Monitoring",
        "Tools that collect and analyse public posts and profiles on social media.",
    ),
    (
        "mobile-device-forensics",
        "Mobile Device Forensics",
        "Tools that unlock phones and extract their contents.",
    ),
    (
        "aerial-surveillance",
        "Aerial Surveillance",
        "Planes, helicopters and balloons that watch wide areas from above.",
    ),
]


def seed(apps, schema_editor):
    Technology = apps.get_model("technologies", "Technology")
    for slug, name, description in TAXONOMY:
        Technology.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("technologies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

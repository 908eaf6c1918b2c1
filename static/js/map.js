// /map/: the agencies of the page's selection as clustered markers coloured by technology.
// The data comes from the GeoJSON endpoint with the page's own filters (#map's
// data-geojson); the list under the map shows the same agencies without this script, and
// the markers show without tiles (MAP_TILE_URL may be empty).
(function () {
  "use strict";

  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  if (!element || !window.L || !L.markerClusterGroup) return;
  element.hidden = false;

  // maxZoom on the map itself: the clusters need one even when there is no tile layer.
  const map = L.map(element, { scrollWheelZoom: false, minZoom: 2, maxZoom: 18 });
  map.setView([39.8, -98.6], 4);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 18,
      attribution: element.dataset.tileAttribution || "",
    }).addTo(map);
  }
  const clusters = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(clusters);

  // The page's words, translated in #map's data-* attributes ({count} is the number); the
  // English ones when an attribute is missing.
  const words = element.dataset;
  const counted = (count, one, many) =>
    count === 1 ? one : many.replace("{count}", String(count));
  const deployments = (count) =>
    counted(
      count,
      words.deploymentOne || "1 deployment",
      words.deploymentMany || "{count} deployments"
    );

  // Built as elements, not HTML text: names come from the registry's records.
  function popup(properties) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const name = document.createElement("a");
    name.href = properties.url;
    name.textContent = properties.name;
    const heading = document.createElement("strong");
    heading.append(name);
    box.append(heading);
    if (properties.place) {
      const place = document.createElement("span");
      place.className = "map-popup-place";
      place.textContent = properties.place;
      box.append(place);
    }
    const technologies = document.createElement("ul");
    for (const technology of properties.technologies) {
      const item = document.createElement("li");
      item.textContent = `${technology.name}: ${deployments(technology.deployments)}`;
      technologies.append(item);
    }
    box.append(technologies);
    const link = document.createElement("a");
    link.href = properties.deployments_url;
    link.className = "map-popup-deployments";
    link.textContent = counted(
      properties.deployments,
      words.seeOne || "See its deployment",
      words.seeMany || "See its {count} deployments"
    );
    box.append(link);
    return box;
  }

  function marker(feature, latlng) {
    const properties = feature.properties;
    return L.marker(latlng, {
      title: properties.name,
      keyboard: true,
      icon: L.divIcon({
        className: `map-marker map-colour-${properties.colour}`,
        iconSize: [16, 16],
      }),
    }).bindPopup(popup(properties));
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((collection) => {
      clusters.addLayer(L.geoJSON(collection, { pointToLayer: marker }));
      const count = collection.features.length;
      if (count) map.fitBounds(clusters.getBounds(), { padding: [30, 30], maxZoom: 11 });
      status.textContent = counted(
        count,
        words.statusOne || "1 agency on the map.",
        words.statusMany || "{count} agencies on the map."
      );
      element.dataset.markers = String(count);
    })
    .catch(() => {
      status.textContent =
        words.failed ||
        "The map could not load its markers; the list below shows the same agencies.";
    });
})();
